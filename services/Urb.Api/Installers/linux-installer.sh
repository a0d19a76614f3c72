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
# Checked at every start: a signed update may bring either kind of build.
cat >"$bin" <<WRAPPER
#!/bin/sh
if [ -f "$prefix/current/Urb.Agent.dll" ]; then exec dotnet "$prefix/current/Urb.Agent.dll" --state-dir "$state" "\$@"; fi
exec "$prefix/current/Urb.Agent" --state-dir "$state" "\$@"
WRAPPER
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
