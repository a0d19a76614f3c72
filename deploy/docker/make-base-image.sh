#!/usr/bin/env bash
# make-base-image.sh: build the Debian base image that Urb's images start from, without any
# container registry: debootstrap a minimal Debian 12 (bookworm) from the apt mirror, then
# import the tree into the container engine. Run as root.
#
#   deploy/docker/make-base-image.sh            # -> localhost/urb-debian:bookworm (podman)
#   URB_ENGINE=docker deploy/docker/make-base-image.sh
#
# Settings (environment): URB_ENGINE (podman or docker; default: podman if installed),
# URB_BASE_IMAGE (the image name, default localhost/urb-debian:bookworm), URB_DEBIAN_MIRROR
# (default: the first deb.debian.org-style URI apt uses here, else http://deb.debian.org/debian).
# It does nothing when the image exists already; URB_REBUILD=1 makes it again.
set -euo pipefail

engine=${URB_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
image=${URB_BASE_IMAGE:-localhost/urb-debian:bookworm}
suite=bookworm

[[ $(id -u) == 0 ]] || { echo "make-base-image.sh: run as root (debootstrap needs it)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "make-base-image.sh: apt-get install debootstrap" >&2; exit 1; }

if [[ ${URB_REBUILD:-} != 1 ]] && "$engine" image inspect "$image" >/dev/null 2>&1; then
  echo "make-base-image.sh: $image exists (URB_REBUILD=1 makes it again)"
  exit 0
fi

mirror=${URB_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
  mirror=$(grep -hoE 'https?://[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi

rootfs=$(mktemp -d /var/tmp/urb-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

# minbase: essential packages and apt only. The .NET runtime needs libssl3 (TLS, hashing) and
# ca-certificates; Npgsql loads libgssapi_krb5 (GSS encryption, and says so on stderr when it is
# missing); libzstd1 (Urb.Storage's compression) and libstdc++6 come with apt.
echo "make-base-image.sh: debootstrap $suite from $mirror"
debootstrap --variant=minbase --include=ca-certificates,libssl3,libgssapi-krb5-2 "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
  { tail -n 30 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"

# Smaller and reproducible-ish: no package lists, caches, docs or logs in the image (the
# copyright files stay). Derived images that need packages run apt-get update themselves.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/var/log/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
# Only what the mirror serves: no security/updates suites that an offline build could not reach.
printf 'deb %s %s main\n' "$mirror" "$suite" >"$rootfs/etc/apt/sources.list"

echo "make-base-image.sh: importing into $engine as $image"
tar -C "$rootfs" --numeric-owner -c . |
  "$engine" import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$image" >/dev/null
"$engine" image inspect --format '{{.Id}} {{.Size}}' "$image"
