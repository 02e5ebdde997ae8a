#!/usr/bin/env bash
# The lint gate CI runs before the tests (issue 11): C# formatting against .editorconfig, and Verilator's
# -Wall lint of every RTL top the harness builds (waivers, each with its reason, in rtl/lint/verilator.vlt).
# Prints one line per check and exits non-zero when any fails. Needs dotnet and verilator (tools/setup.sh).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rc=0

# Whitespace and style rules that .editorconfig states; --verify-no-changes fails instead of rewriting.
if dotnet format CoDesign.sln --verify-no-changes -v q >/tmp/codesign-format.log 2>&1; then
  echo "lint: dotnet format: clean"
else
  echo "lint: dotnet format: files need formatting (run: dotnet format CoDesign.sln):" >&2
  grep -E "error|warning" /tmp/codesign-format.log | head -20 >&2
  rc=1
fi

# Every top module C# builds (rtl/CoDesign.Rtl/Build), linted over all sources so an unused or
# mis-sized port anywhere is seen from each top.
sources=(rtl/lint/verilator.vlt rtl/hw/cd_pkg.sv $(ls rtl/hw/*.sv | grep -v cd_pkg.sv))
for top in cd_pim_tb cd_pim_top cd_fp_units cd_mac_lane cd_gemm cd_op_ctrl cd_softmax cd_silu cd_dram_bundle; do
  if out=$(verilator --lint-only -Wall --top-module "$top" "${sources[@]}" 2>&1); then
    echo "lint: verilator -Wall $top: clean"
  else
    echo "lint: verilator -Wall $top: failed" >&2
    echo "$out" | head -20 >&2
    rc=1
  fi
done
exit "$rc"
