#!/usr/bin/env bash
# Installs the Debian packages rdd needs when they are missing (Debian/Ubuntu as root); elsewhere it
# names what to install and stops. Idempotent: does nothing when everything is there.
set -euo pipefail
packages=("$@")

if [[ "$(uname -s)" == Darwin ]]; then
  missing=()
  command -v nats-server >/dev/null || missing+=(nats-server)
  command -v limactl >/dev/null || missing+=(lima)
  command -v jq >/dev/null || missing+=(jq)
  if ((${#missing[@]})); then
    echo "rdd needs: ${missing[*]}. Install them with: brew install ${missing[*]}" >&2
    exit 1
  fi
  exit 0
fi

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "rdd needs these packages (Debian names): ${packages[*]}; install them with your system's package manager" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
((${#missing[@]})) || exit 0

if [[ "$(id -u)" != 0 ]]; then
  echo "rdd needs these Debian packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
