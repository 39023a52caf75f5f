#!/usr/bin/env bash
# follow_pair.sh A B [SECONDS] - the CPU of two followers of the same growing log, side by
# side: both in one tmux server (panes 200x50), the same 1,000 records a second
# (../shared/bench/gen_smsts.py, one write() each) for SECONDS (default 15), so that the
# machine's other work weighs on both alike. Prints each one's CPU (share of one core,
# from /proc ticks) and their ratio. A and B are tslens binaries, run with --follow.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gen=${GEN_SMSTS:-$here/../../shared/bench/gen_smsts.py}
d=$(mktemp -d /tmp/follow_pair.XXXXXX)
log=$d/smsts.log sock=$d/tmux.sock
T() { tmux -S "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$d"' EXIT
python3 "$gen" --size 64K --seed 11 --out "$log" 2>/dev/null
T new-session -d -s a -x 200 -y 50 "exec $1 --follow $log"
T new-session -d -s b -x 200 -y 50 "exec $2 --follow $log"
sleep 2
pa=$(T display-message -p -t a: '#{pane_pid}')
pb=$(T display-message -p -t b: '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
a0=$(ticks "$pa") b0=$(ticks "$pb") w0=$(date +%s.%N)
python3 "$gen" --out "$log" --rate 1000 --duration "${3:-15}" --seed 12 2>/dev/null
a1=$(ticks "$pa") b1=$(ticks "$pb") w1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
python3 -c "w = $w1 - $w0; a = ($a1 - $a0) / $hz; b = ($b1 - $b0) / $hz
print('A %.2f%%  B %.2f%%  A/B %.2f' % (100 * a / w, 100 * b / w, a / b if b else float('nan')))"
