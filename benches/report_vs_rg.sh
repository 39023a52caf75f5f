#!/usr/bin/env bash
# Reading speed of `tslens report` against `rg -c HRESULT=` (the floor for reading every
# byte), interleaved in one go so that the machine's drift hits both alike.
#
#   benches/report_vs_rg.sh [SIZE] [ROUNDS]     e.g. benches/report_vs_rg.sh 1G 5
#
# Prints, per tool and stage, the median wall time and peak RSS, and the ratios:
#   index    = read and frame only           (`report --stage index`)
#   analysis = + codes, chains, steps         (`report --stage analysis`)
#   full     = + known-problem rules          (`report`, the default)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1G}
rounds=${2:-5}
log=/tmp/tslens-bench-$size.log
gen=../shared/bench/gen_smsts.py
command -v rg >/dev/null || { echo "rg missing: apt-get install ripgrep" >&2; exit 1; }
[ -f "$log" ] || python3 "$gen" --size "$size" --out "$log"
cargo build --release --quiet
bin=target/release/tslens
cat "$log" >/dev/null   # hot cache

declare -A times rss
run() { # name cmd...
  local name=$1; shift
  local out
  out=$( { /usr/bin/time -f '%e %M' "$@" >/dev/null; } 2>&1 | tail -n1)
  times[$name]+="${out% *} "
  rss[$name]+="${out#* } "
}
for ((i = 0; i < rounds; i++)); do
  run rg rg -c HRESULT= "$log"
  run index "$bin" report --stage index --format json "$log"
  run analysis "$bin" report --stage analysis --format json "$log"
  run full "$bin" report --format json "$log"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "file: $log ($(stat -L -c %s "$log") bytes), $rounds rounds, $(nproc) cores"
for k in rg index analysis full; do
  t=$(echo "${times[$k]}" | median); m=$(echo "${rss[$k]}" | median)
  printf '%-9s median %6.3f s   peak RSS %7.1f MiB   (runs: %s)\n' "$k" "$t" "$(echo "$m/1024" | bc -l)" "${times[$k]}"
  declare "med_$k=$t"
done
printf 'full/rg = %.2f   analysis/index = %.2f   full/analysis = %.2f\n' \
  "$(echo "$med_full/$med_rg" | bc -l)" "$(echo "$med_analysis/$med_index" | bc -l)" "$(echo "$med_full/$med_analysis" | bc -l)"
