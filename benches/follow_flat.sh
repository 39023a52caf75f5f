#!/usr/bin/env bash
# Does following a big log stay flat? The explorer follows a copy of a large log (200 MB of
# ../shared/bench/gen_smsts.py output by default) in a private tmux while records are appended
# at RATE records/s for MINUTES; every 10 s the follower's CPU (share of one core over the
# interval) and RSS are sampled from /proc. Prints the samples and the least-squares slope of
# each (per minute), so "flat" is a figure.
#
#   benches/follow_flat.sh [-b BINARY] [-l LOG] [-r RATE] [-m MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/tslens log=/tmp/tslens-bench-200M.log rate=1000 minutes=10
while getopts "b:l:r:m:" o; do
  case $o in
    b) bin=$OPTARG ;; l) log=$OPTARG ;; r) rate=$OPTARG ;; m) minutes=$OPTARG ;;
    *) sed -n '2,8s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
  esac
done
gen=../shared/bench/gen_smsts.py
[ -f "$log" ] || python3 "$gen" --size 200M --out "$log"
dir=$(mktemp -d /tmp/follow_flat.XXXX)
sock=$dir/tmux.sock
cp "$log" "$dir/smsts.log"
writer=""
cleanup() {
  [ -z "$writer" ] || kill "$writer" 2>/dev/null || true
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
tmux -S "$sock" -f /dev/null new-session -d -x 200 -y 50 "$(realpath "$bin") --follow $dir/smsts.log"
pid=$(tmux -S "$sock" list-panes -F '#{pane_pid}')
# Loaded once the screen follows the end (the status line says FOLLOW and the load is done).
for _ in $(seq 600); do
  screen=$(tmux -S "$sock" capture-pane -p)
  if grep -q FOLLOW <<<"$screen" && ! grep -qiE 'indexing|analysing' <<<"$screen"; then break; fi
  sleep 0.5
done
sleep 2
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
python3 "$gen" --out "$dir/smsts.log" --rate "$rate" --duration $((minutes * 60)) --seed 9 2>/dev/null &
writer=$!
echo "follower $bin on $(stat -c %s "$log") bytes, +$rate records/s for $minutes min"
echo "t_s cpu_pct rss_mib"
prev=$(cpu) t=0 samples=""
while kill -0 "$writer" 2>/dev/null; do
  sleep 10
  t=$((t + 10))
  now=$(cpu)
  pct=$(echo "($now - $prev) * 100 / $ticks / 10" | bc -l)
  prev=$now
  line=$(printf '%d %.1f %.1f' "$t" "$pct" "$(echo "$(rss) / 1024" | bc -l)")
  echo "$line"
  samples+="$line"$'\n'
done
python3 - "$samples" <<'EOF'
import sys
rows = [tuple(map(float, l.split())) for l in sys.argv[1].splitlines() if l.strip()]
def slope(ix):
    xs = [r[0] / 60 for r in rows]; ys = [r[ix] for r in rows]
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs) or 1
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx, my
(cs, cm), (rs, rm) = slope(1), slope(2)
med = sorted(r[1] for r in rows)[len(rows) // 2]
print(f"SUMMARY samples={len(rows)} cpu_mean={cm:.1f}% cpu_median={med:.1f}% cpu_slope={cs:+.2f}%/min "
      f"rss_first={rows[0][2]:.1f}MiB rss_last={rows[-1][2]:.1f}MiB rss_slope={rs:+.2f}MiB/min")
EOF
