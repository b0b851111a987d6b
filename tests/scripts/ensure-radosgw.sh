#!/usr/bin/env bash
# The radosgw suite (pnpm test:s3) runs the file tests against a real S3 implementation: Ceph's radosgw
# from Debian, a single-node cluster its test setup starts. Installs the packages only when one of the
# binaries that setup runs is missing.
set -euo pipefail
binaries=(monmaptool ceph-mon ceph ceph-osd radosgw radosgw-admin)
missing=()
for binary in "${binaries[@]}"; do
  command -v "$binary" >/dev/null 2>&1 || missing+=("$binary")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "Ceph not found (${missing[*]}): installing Debian's radosgw, ceph-mon and ceph-osd packages..."
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "Run as root or install Ceph yourself (apt-get install radosgw ceph-mon ceph-osd)." >&2
    exit 1
  }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  radosgw ceph-mon ceph-osd; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "Installing Ceph with apt-get failed (output above)." >&2
  exit 1
fi
for binary in "${binaries[@]}"; do
  command -v "$binary" >/dev/null 2>&1 || {
    echo "The Ceph packages were installed but $binary is not on PATH." >&2
    exit 1
  }
done
radosgw --version
