#!/usr/bin/env bash
# Prints the path of a minimal Debian 12 (bookworm) root file system with systemd and python3, the stand-in for a
# freshly installed bare-metal host. Built once with debootstrap (about a minute) and cached outside the repository
# under BIFROST_ANSIBLE_CACHE (default /var/cache/bifrost-ansible-test); a half-built cache is thrown away and rebuilt.
# Needs root and debootstrap; BIFROST_DEBIAN_MIRROR overrides the mirror.
set -euo pipefail

cache="${BIFROST_ANSIBLE_CACHE:-/var/cache/bifrost-ansible-test}"
mirror="${BIFROST_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
rootfs="$cache/bookworm"
# Bump when the package list changes, so caches made with the old list are rebuilt.
stamp="$rootfs/.bifrost-rootfs-v1"

if [ ! -f "$stamp" ]; then
  rm -rf "$rootfs"
  mkdir -p "$cache"
  echo "rootfs: debootstrap bookworm into $rootfs (once; about a minute)" >&2
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,python3,ca-certificates,procps,iproute2 \
    bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { echo "rootfs: debootstrap failed; see $cache/debootstrap.log" >&2; tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # A booted copy must not wait for a login console or try to bring up networking it does not own.
  ln -sf /dev/null "$rootfs/etc/systemd/system/console-getty.service"
  ln -sf /dev/null "$rootfs/etc/systemd/system/getty@tty1.service"
  echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
  : > "$rootfs/etc/machine-id"
  touch "$stamp"
fi
echo "$rootfs"
