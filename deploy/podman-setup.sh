#!/usr/bin/env bash
# podman-setup.sh: install Debian's podman and podman-compose and configure them for this
# project's compose check: rootful, runc, cgroupfs (no systemd needed), file-based events and a
# nofile limit of 20000 for containers. Run as root. Idempotent.
set -euo pipefail

[[ $(id -u) == 0 ]] || { echo "podman-setup.sh: run as root" >&2; exit 1; }

packages=(podman podman-compose runc debootstrap containernetworking-plugins
  golang-github-containernetworking-plugin-dnsname)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# At most 20000 open files and 8192 processes, and never more than this host's hard limits.
limit() { local hard; hard=$(ulimit -H "$1"); [[ $hard == unlimited || $hard -gt $2 ]] && echo "$2" || echo "$hard"; }
nofile=$(limit -n 20000)
nproc=$(limit -u 8192)

mkdir -p /etc/containers/containers.conf.d
cat >/etc/containers/containers.conf.d/50-urb.conf <<CONF
# Written by deploy/podman-setup.sh (Urb): no systemd needed; limits within the host's hard limits
# (podman's own defaults, nofile 1048576 and nproc 4194304, exceed them here and runc fails).
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
# CNI with dnsname (dnsmasq) rather than netavark with aardvark-dns 1.4, which drops queries
# now and then; a dropped query costs glibc 5 s per nameserver and fails with EAI_AGAIN.
network_backend = "cni"
CONF

podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.CgroupManager}} {{.Host.CgroupsVersion}} {{.Store.GraphDriverName}}'
