#!/bin/sh
# Urb agent installer for client "@URB_CLIENT@" of tenant "@URB_TENANT@".
# It holds a one-time enrolment token, valid until @URB_EXPIRES@: keep it private, run it once.
#
#   sudo sh THIS_FILE          installs the agent, enrols it and starts the urb-agent service
#
# URB_INSTALL_ROOT=DIR installs below DIR instead of / (for packaging and tests): nothing is
# started then. The agent is a native executable; only an agent built for the .NET runtime
# (Urb.Agent.dll in the payload) needs the .NET 10 runtime (`dotnet`).
set -eu

server='@URB_SERVER@'
token='@URB_TOKEN@'
root="${URB_INSTALL_ROOT:-}"
prefix="$root/opt/urb-agent"
state="$root/var/lib/urb-agent"
bin="$root/usr/local/bin/urb-agent"
unit="$root/etc/systemd/system/urb-agent.service"

say() { printf 'urb-installer: %s\n' "$*"; }
fail() { printf 'urb-installer: %s\n' "$*" >&2; exit 1; }

if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then fail "run as root (sudo sh $0)"; fi

# The agent's files follow this script, after the line __URB_PAYLOAD__ (a tar.gz).
version="@URB_VERSION@"
target="$prefix/$version"
mkdir -p "$target"
line=$(awk '/^__URB_PAYLOAD__$/ { print NR + 1; exit }' "$0")
[ -n "$line" ] || fail "this installer is damaged: its payload is missing"
tail -n +"$line" "$0" | tar -xzf - -C "$target" || fail "this installer is damaged: its payload does not unpack"
if [ -f "$target/Urb.Agent.dll" ] && ! command -v dotnet >/dev/null 2>&1; then
  fail "this agent is built for the .NET runtime: install it (e.g. apt install dotnet-runtime-10.0) and run this again"
fi
ln -sfn "$version" "$prefix/current.new" && mv -T "$prefix/current.new" "$prefix/current"
say "agent $version installed in $target"

mkdir -p "$(dirname "$bin")"
# The wrapper decides at every start: a signed update may bring another kind of build, and a
# virtual machine may be moved to another CPU.
{
  printf '#!/bin/sh\nagent="%s"\nstate="%s"\n' "$prefix/current" "$state"
  cat <<'WRAPPER'
if [ -f "$agent/Urb.Agent.dll" ]; then exec dotnet "$agent/Urb.Agent.dll" --state-dir "$state" "$@"; fi
# Urb.Agent.x86-64-v4 and Urb.Agent.x86-64-v3 are the same agent compiled for AVX-512, and for
# AVX2 and its companions (faster hashing and compression); neither starts on a CPU without its
# instruction sets, so each runs only where the kernel lists them all, the AVX-512 one first.
# URB_AGENT_BUILD=baseline (in the service's environment) always runs Urb.Agent.
case "${URB_AGENT_BUILD:-auto}" in
  auto) ;;
  baseline) exec "$agent/Urb.Agent" --state-dir "$state" "$@" ;;
  *) echo "urb-agent: URB_AGENT_BUILD is '$URB_AGENT_BUILD'; it may be auto or baseline" >&2; exit 2 ;;
esac
v3="avx avx2 bmi1 bmi2 f16c fma abm movbe"
cpu_has() {
  awk -v need="$1" '/^flags[[:space:]]*:/ {
    ok = 1; n = split(need, wanted, " ")
    for (i = 1; i <= n; i++) if (index($0 " ", " " wanted[i] " ") == 0) ok = 0
    exit
  } END { exit !ok }' /proc/cpuinfo
}
if [ -x "$agent/Urb.Agent.x86-64-v4" ] && cpu_has "$v3 avx512f avx512bw avx512cd avx512dq avx512vl"; then
  exec "$agent/Urb.Agent.x86-64-v4" --state-dir "$state" "$@"
fi
if [ -x "$agent/Urb.Agent.x86-64-v3" ] && cpu_has "$v3"; then
  exec "$agent/Urb.Agent.x86-64-v3" --state-dir "$state" "$@"
fi
exec "$agent/Urb.Agent" --state-dir "$state" "$@"
WRAPPER
} >"$bin"
chmod 755 "$bin"

mkdir -p "$state"
chmod 700 "$state"
if [ -f "$state/agent.json" ]; then
  say "already enrolled ($state/agent.json); the token was not used"
else
  "$bin" enroll --server "$server" --token "$token"
fi

mkdir -p "$(dirname "$unit")"
cat >"$unit" <<UNIT
[Unit]
Description=Urb backup agent
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$bin run
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT

if [ -z "$root" ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
  systemctl enable --now urb-agent.service
  say "service urb-agent enabled and started"
else
  say "service unit written to $unit (not started: install root $root)"
fi
exit 0
__URB_PAYLOAD__
