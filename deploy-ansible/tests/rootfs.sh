#!/usr/bin/env bash
# Prints the path of a minimal Debian 12 (bookworm) root file system with systemd and python3, the stand-in for a
# freshly installed bare-metal host. Built once with mmdebstrap (apt resolves and downloads in parallel; debootstrap,
# a shell script fetching one package at a time, took over 15 minutes on a busy 2-core machine) and cached outside
# the repository under BIFROST_ANSIBLE_CACHE (default /var/cache/bifrost-ansible-test); a half-built cache is thrown
# away and rebuilt. Needs root and mmdebstrap; BIFROST_DEBIAN_MIRROR overrides the mirror.
#
# Besides the base system it holds what the roles would otherwise download and unpack on every test run:
# python3-apt (Ansible's apt module) and Debian's ffmpeg (role ffmpeg: about 130 packages, 4 minutes of the old
# real run). The role still runs its apt task on the host and finds ffmpeg installed, as on a host provisioned with
# it. dpkg runs with force-unsafe-io on these throwaway hosts (no fsync per file); the package lists are kept, as on
# an installed host.
set -euo pipefail

cache="${BIFROST_ANSIBLE_CACHE:-/var/cache/bifrost-ansible-test}"
mirror="${BIFROST_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
rootfs="$cache/bookworm"
# Bump when the package list changes, so caches made with the old list are rebuilt.
stamp="$rootfs/.bifrost-rootfs-v2"

if [ ! -f "$stamp" ]; then
  command -v mmdebstrap >/dev/null || { echo "rootfs: mmdebstrap is missing (apt-get install mmdebstrap)" >&2; exit 1; }
  rm -rf "$rootfs"
  mkdir -p "$cache"
  started=$(date +%s)
  echo "rootfs: mmdebstrap bookworm into $rootfs (once per machine)" >&2
  mmdebstrap --mode=root --variant=minbase --skip=cleanup/apt/lists \
    --aptopt='APT::Install-Recommends "false"' --dpkgopt=force-unsafe-io \
    --include=systemd,systemd-sysv,dbus,python3,python3-apt,ca-certificates,procps,iproute2,ffmpeg \
    bookworm "$rootfs" "$mirror" >"$cache/mmdebstrap.log" 2>&1 \
    || { echo "rootfs: mmdebstrap failed; see $cache/mmdebstrap.log" >&2; tail -20 "$cache/mmdebstrap.log" >&2; exit 1; }
  # A booted copy must not wait for a login console or try to bring up networking it does not own.
  ln -sf /dev/null "$rootfs/etc/systemd/system/console-getty.service"
  ln -sf /dev/null "$rootfs/etc/systemd/system/getty@tty1.service"
  : > "$rootfs/etc/machine-id"
  touch "$stamp"
  echo "rootfs: built in $(( $(date +%s) - started ))s" >&2
fi
echo "$rootfs"
