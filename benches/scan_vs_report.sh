#!/usr/bin/env bash
# `tslens scan` over a wave of machines against `tslens report --format json` on one log of
# the same total size, interleaved in one go so that the machine's drift hits both alike.
#
#   benches/scan_vs_report.sh [MACHINES] [ROUNDS]      e.g. benches/scan_vs_report.sh 1000 5
#
# The wave (MACHINES folders and zips of about 1 MB smsts.log each, a third failing three
# ways) is made by scripts/gen_wave.py; the log by ../shared/bench/gen_smsts.py (1 GB, as
# benches/report_vs_rg.sh uses). Prints median wall time, peak RSS and CPU use (200% is both
# cores busy) per run, and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
machines=${1:-1000}
rounds=${2:-5}
wave=/tmp/tslens-wave-$machines
log=/tmp/tslens-bench-1G.log
[ -d "$wave" ] || python3 scripts/gen_wave.py --machines "$machines" --size 1M --out "$wave"
[ -f "$log" ] || python3 ../shared/bench/gen_smsts.py --size 1G --out "$log"
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet
bin=target/release/tslens
# Hot cache for both.
cat "$log" >/dev/null
find "$wave" -type f -exec cat {} + >/dev/null

declare -A times rss cpu
run() { # name cmd...
  local name=$1; shift
  local out
  out=$( { /usr/bin/time -f '%e %M %P' "$@" >/dev/null; } 2>&1 | tail -n1)
  read -r t m p <<<"$out"
  times[$name]+="$t "
  rss[$name]+="$m "
  cpu[$name]+="${p%\%} "
}
for ((i = 0; i < rounds; i++)); do
  run report "$bin" report --format json "$log"
  run scan "$bin" scan --format json "$wave"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "wave: $wave ($(find "$wave" -type f | wc -l) files, $(du -sb "$wave" | cut -f1) bytes); log: $log ($(stat -L -c %s "$log") bytes)"
echo "$rounds rounds, $(nproc) cores"
for k in report scan; do
  t=$(echo "${times[$k]}" | median); m=$(echo "${rss[$k]}" | median); c=$(echo "${cpu[$k]}" | median)
  printf '%-7s median %6.3f s   peak RSS %7.1f MiB   CPU %4s%%   (runs: %s)\n' "$k" "$t" "$(echo "$m/1024" | bc -l)" "$c" "${times[$k]}"
  declare "med_$k=$t"
done
printf 'scan/report = %.2f\n' "$(echo "$med_scan/$med_report" | bc -l)"
