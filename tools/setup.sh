#!/usr/bin/env bash
# Installs what CoDesign's tests and RTL flows need from Debian (idempotent; root or sudo).
set -euo pipefail
need=()
command -v verilator >/dev/null 2>&1 || need+=(verilator)
command -v ccache    >/dev/null 2>&1 || need+=(ccache)
command -v yosys     >/dev/null 2>&1 || need+=(yosys)
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
command -v make      >/dev/null 2>&1 || need+=(make)
command -v g++       >/dev/null 2>&1 || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }
