#!/usr/bin/env bash
# GPU check for the ILGPU backend, in two halves (the GPU machines have no .NET and no network):
#   tools/gpu-check.sh pack        on a dev machine: publish the CLI and pack the .NET runtime into gpu-pack/
#                                  (git-ignored; carry it to the GPU machine, ~48 MB)
#   tools/gpu-check.sh run [OUT]   on the GPU machine (repository root): unpack the runtime, then
#                                  1. validate the gpu backend (CUDA) against the float64 reference on tiny-moe and tiny-dense,
#                                  2. run tiny-moe end to end on CUDA,
#                                  3. time the decode GEMV and decode attention kernels at Mixtral shapes against H100 peaks,
#                                  writing JSON to OUT (default $OUT, else ./gpu-out) and a summary to stdout.
# Without a CUDA device the run half still works, on ILGPU's CPU accelerator (that is how it is tested in CI).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pack="$root/gpu-pack"

case "${1:-}" in
pack)
  set -e
  rm -rf "$pack"
  # linux-x64 only: ScottPlot's SkiaSharp ships natives for every platform (150 MB), and the GPU machines are linux-x64.
  dotnet publish host/CoDesign.Cli -c Release -r linux-x64 --self-contained false -o "$pack/app" --nologo -v q
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  ver="$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -1)"
  # The runtime only (dotnet host + hostfxr + Microsoft.NETCore.App): the SDK is not needed to run the CLI.
  tar -C "$dotnet_root" -cJf "$pack/dotnet-runtime.tar.xz" dotnet host "shared/Microsoft.NETCore.App/$ver"
  echo "gpu-check: packed .NET $ver runtime and the CLI into gpu-pack/ ($(du -sh "$pack" | cut -f1))"
  ;;
run)
  out="${2:-${OUT:-$root/gpu-out}}"
  mkdir -p "$out"
  [ -f "$pack/dotnet-runtime.tar.xz" ] && [ -f "$pack/app/codesign.dll" ] || { echo "gpu-check: run 'tools/gpu-check.sh pack' first" >&2; exit 2; }
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  tar -C "$scratch" -xJf "$pack/dotnet-runtime.tar.xz"
  export DOTNET_ROOT="$scratch" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  cs() { "$scratch/dotnet" "$pack/app/codesign.dll" "$@"; }
  status=0
  step() {   # step NAME COMMAND... : run, keep stdout as NAME.json, stderr as NAME.err, record the exit code
    local name="$1"; shift
    local t0=$SECONDS
    "$@" > "$out/$name.json" 2> "$out/$name.err"
    local rc=$?
    echo "$name: exit $rc ($((SECONDS - t0)) s)" >> "$out/summary.txt"
    [ $rc -eq 0 ] || status=1
  }
  { command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.memory --format=csv; } > "$out/nvidia-smi.csv" 2>&1
  : > "$out/summary.txt"
  cs make-model --preset tiny-moe --out "$scratch/tiny-moe" --seed 1 > /dev/null
  step validate-tiny-moe   cs validate --model "$scratch/tiny-moe" --backend gpu --max-new-tokens 8 --format json
  step validate-tiny-dense cs validate --model tiny-dense --backend gpu --max-new-tokens 8 --format json
  step run-tiny-moe        cs run --model "$scratch/tiny-moe" --backend gpu --max-new-tokens 16 --format json
  # Mixtral shapes: one expert's gate/up GEMV (4096 -> 14336) and its down GEMV, and 32/8-head attention at 4k context.
  step bench-expert-up     cs bench-kernels --k 4096 --n 14336 --heads 32 --kv-heads 8 --head-dim 128 --context 4096 --format json
  step bench-expert-down   cs bench-kernels --k 14336 --n 4096 --heads 32 --kv-heads 8 --head-dim 128 --context 16384 --format json
  cs bench-kernels --k 4096 --n 14336 --context 4096 --format table >> "$out/summary.txt" 2>&1
  cat "$out/summary.txt"
  exit $status
  ;;
*)
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
  ;;
esac
