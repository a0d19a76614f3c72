#!/usr/bin/env bash
# The README's walk-through, end to end, on a fresh clone of this repository in a temp dir:
# ./urb up (twice), client add, agent enroll, agent status, ./urb down, and no process left.
# Slow (a full build and a stack start): run it by hand or with URB_SMOKE=1 ./urb test.
set -euo pipefail

source_repo="$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
work="$(mktemp -d /tmp/urb-smoke.XXXXXX)"
chmod 755 "$work"
clone="$work/urb"
cleanup() {
  [[ -x $clone/urb ]] && "$clone/urb" down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }
step() { printf 'smoke: %s\n' "$*"; }

git clone -q "$source_repo" "$clone"
cd "$clone"

step "./urb up"
./urb up >"$work/up.log" 2>&1 || { tail -40 "$work/up.log"; fail "./urb up"; }
step "./urb up again (harmless)"
./urb up >"$work/up2.log" 2>&1 || fail "second ./urb up"
./urb status >/dev/null || fail "./urb status says not everything is ready"

step "./urb client add laptop1 --json"
json=$(./urb client add laptop1 --json) || fail "client add"
token=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["token"])' "$json")
server=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["server"])' "$json")

step "agent enroll and status"
./urb agent --state-dir "$work/agent" enroll --server "$server" --token "$token" >/dev/null || fail "enroll"
status=$(./urb agent --state-dir "$work/agent" status --json) || fail "status"
[[ $status == *'"name":"laptop1"'* && $status == *'"name":"default"'* ]] || fail "status did not show the client and tenant: $status"
if ./urb agent --state-dir "$work/again" enroll --server "$server" --token "$token" >/dev/null 2>&1; then
  fail "a used token was accepted"
fi

step "./urb down leaves no process behind"
./urb down >/dev/null 2>&1 || fail "./urb down"
if pgrep -f -- "$clone/" >/dev/null; then
  pgrep -af -- "$clone/" >&2
  fail "processes of the stack are still running"
fi
step "passed"
