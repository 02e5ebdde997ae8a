#!/usr/bin/env bash
# Runs the whole test suite (installing prerequisites first) and ends with one line:
#   tests: N passed, N failed, N skipped
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh || exit $?
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
dotnet test CoDesign.sln -c Release --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# VSTest prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 25, Skipped: 0, Total: 25, ..."
awk '/(Passed|Failed)! +- +Failed:/ {
        for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
          if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
if [ "$rc" -eq 0 ] && ! grep -qE '(Passed|Failed)! +- +Failed:' "$log"; then echo "tools/test.sh: no test ran" >&2; rc=1; fi
rm -f "$log"
exit "$rc"
