#!/usr/bin/env bash
# Measures simulated cycles per second of the Logic-PIM RTL (docs/benchmarks-rtl.md), CI and published
# configurations; prints one line per run. Builds the models first (cached afterwards).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cs="$root/codesign"
echo "date: $(date -u)  cores: $(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { "$cs" rtl gemv "$@" --format csv | tail -1 | awk -F, -v a="$*" '{ printf "%-60s cycles %s  %.0f cycles/s\n", a, $9, $NF }'; }
run --config ci --tokens 2 --k 4096 --n 1024
run --config ci --tokens 2 --k 4096 --n 1024 --in-process
run --config published --tokens 8 --k 4096 --n 512
