#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>, not committed) from the project's
# own files: sample logs for the log targets, kb/*.toml for rules, themes/*.toml for themes.
# Logs are cut into 4 KiB pieces: libFuzzer mutates small inputs far faster.
set -euo pipefail
cd "$(dirname "$0")/.."
for t in framing fields codes analysis rules themes; do mkdir -p "fuzz/corpus/$t"; done
for f in sample-logs/*.log sample-logs/*.txt sample-logs/rolled/*; do
  [ -f "$f" ] || continue
  base=$(basename "$f")
  for t in framing fields codes analysis; do
    split -b 4096 -d -a 3 "$f" "fuzz/corpus/$t/$base."
  done
done
cp kb/*.toml fuzz/corpus/rules/
cp themes/*.toml fuzz/corpus/themes/
echo "seeded: $(ls fuzz/corpus/framing | wc -l) log pieces, $(ls fuzz/corpus/rules | wc -l) rule files, $(ls fuzz/corpus/themes | wc -l) themes"
