#!/usr/bin/env bash
# Playwright cannot download browsers on these machines: the e2e suite drives Debian's Chromium.
# Installs it only when it is missing (CHROMIUM_PATH overrides where it is looked for).
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
echo "Chromium not found at $chromium: installing Debian's chromium package..."
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Run as root or install chromium yourself (apt-get install chromium)." >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x "$chromium" ] || { echo "chromium was installed but $chromium does not exist; set CHROMIUM_PATH." >&2; exit 1; }
"$chromium" --version
