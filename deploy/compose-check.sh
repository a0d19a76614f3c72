#!/usr/bin/env bash
# compose-check.sh: prove that docker-compose.yml runs on this machine, end to end. Opt-in and
# slow (a few minutes); not part of ./urb test. Run as root.
#
#   deploy/podman-setup.sh         # once: Debian's podman and podman-compose, configured
#   deploy/compose-check.sh
#
# It makes the base image if missing, builds every image, starts the stack under its own
# project name with its own .env (random passwords, free ports) in a temporary folder, waits for
# every service's /health/ready (the images' health check), asks every service's gRPC health
# service, enrols an agent (the urb-agent image), backs up a folder, restores it and compares,
# backs up the server's own keys and database as docs/operations.md says, and then removes
# every container, volume and network it made, also on failure.
#
# Environment: URB_ENGINE (podman or docker), URB_COMPOSE (the compose command, default
# podman-compose, or "docker compose"), URB_CHECK_SKIP_IMAGES=1 (use the images as they are),
# URB_CHECK_TIMEOUT (seconds to wait for readiness, default 240), URB_CHECK_LOG_LINES (lines of
# each container's log kept when a step fails, default 40). The compose tool's output, and on
# failure the containers' logs, go to artifacts/compose-check/compose.log.
set -euo pipefail

ROOT="$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
engine=${URB_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
read -r -a compose_cmd <<<"${URB_COMPOSE:-podman-compose}"
timeout=${URB_CHECK_TIMEOUT:-240}
project="urbcheck$$"
services=(gateway ingest dedupindex storage scheduler api)
oneshots=(init migrate-gateway migrate-ingest migrate-dedupindex migrate-storage migrate-scheduler migrate-api)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/Directory.Build.props" | head -n1)
logdir="$ROOT/artifacts/compose-check"
log="$logdir/compose.log"
started=$SECONDS
phase_start=$SECONDS

note() { printf 'compose-check: %s\n' "$*" >&2; }
fail() {
  note "FAILED: $*"
  dump_logs
  note "compose output and the services' logs: $log"
  exit 1
}
# Every container's state, restarts and last log lines, into the log.
dump_logs() {
  local id
  for id in $("$engine" ps -aq --filter "label=com.docker.compose.project=$project" 2>/dev/null); do
    {
      "$engine" inspect -f '==== {{.Name}}: {{.State.Status}} (exit {{.State.ExitCode}}), restarts {{.RestartCount}}' "$id"
      "$engine" logs --tail ${URB_CHECK_LOG_LINES:-40} "$id"
    } >>"$log" 2>&1
  done
}
phase() {
  note "$1 done in $((SECONDS - phase_start)) s"
  phase_start=$SECONDS
}

[[ $(id -u) == 0 ]] || { note "run as root (rootful containers; nsenter for the gRPC checks)"; exit 1; }
for cmd in "$engine" "${compose_cmd[0]}" curl python3 nsenter dotnet; do
  command -v "$cmd" >/dev/null || { note "'$cmd' is missing (deploy/podman-setup.sh installs podman)"; exit 1; }
done

mkdir -p "$logdir"
# The compose tool prints its podman commands, passwords included.
umask 077
: >"$log"
work=$(mktemp -d /var/tmp/urb-compose-check.XXXXXX)
chmod 755 "$work"

compose() { "${compose_cmd[@]}" -p "$project" -f "$work/docker-compose.yml" "$@" >>"$log" 2>&1; }

# The containers, volumes and networks of this project, also what a failed `down` left.
cleanup() {
  local rc=$? ids
  set +e
  note "removing the stack (project $project)"
  (cd "$work" && compose down -v -t 10)
  ids=$("$engine" ps -aq --filter "label=com.docker.compose.project=$project")
  [[ -z $ids ]] || "$engine" rm -f $ids >>"$log" 2>&1
  ids=$("$engine" volume ls -q --filter "label=com.docker.compose.project=$project")
  [[ -z $ids ]] || "$engine" volume rm -f $ids >>"$log" 2>&1
  ids=$("$engine" network ls -q --filter "label=com.docker.compose.project=$project")
  [[ -z $ids ]] || "$engine" network rm $ids >>"$log" 2>&1
  rm -rf "$work"
  if ((rc == 0)); then
    note "passed in $((SECONDS - started)) s"
  else
    note "failed after $((SECONDS - started)) s"
  fi
  return "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# podman runs the image's health check on request (its timers need systemd); docker on its own.
healthy() { # CONTAINER
  if [[ $(basename "$engine") == podman ]]; then
    "$engine" healthcheck run "$1" >/dev/null 2>&1
  else
    [[ $("$engine" inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null) == healthy ]]
  fi
}

container_of() { # SERVICE -> container id
  "$engine" ps -aq --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" | head -n1
}

# ---- 1. images ----
if [[ ${URB_CHECK_SKIP_IMAGES:-} != 1 ]]; then
  URB_ENGINE=$engine "$ROOT/deploy/docker/make-base-image.sh" >>"$log" 2>&1 || fail "make-base-image.sh"
  URB_ENGINE=$engine "$ROOT/deploy/docker/build-images.sh" >>"$log" 2>&1 || fail "build-images.sh"
  phase "images"
fi
[[ -f $ROOT/artifacts/bin/Urb.Admin/release/Urb.Admin.dll ]] ||
  (cd "$ROOT" && dotnet build tools/Urb.Admin -c Release -nologo -v q >>"$log" 2>&1) || fail "building Urb.Admin"

# ---- 2. settings: the compose file beside its own .env, free loopback ports ----
cp "$ROOT/docker-compose.yml" "$work/"
read -r agent_port api_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
"$ROOT/deploy/compose-env.sh" --file "$work/.env" --gateway-host localhost \
  --agent-port "$agent_port" --api-port "$api_port" >>"$log"

# ---- 3. up: one command; the one-shot steps run first (or, where the compose tool ignores
#         depends_on conditions, the services restart until the steps are done) ----
note "starting the stack (project $project, agent port $agent_port, API port $api_port)"
(cd "$work" && compose up -d) || fail "compose up"

deadline=$((SECONDS + timeout))
pending=("${services[@]}")
while ((${#pending[@]})); do
  still=()
  for name in "${pending[@]}"; do
    id=$(container_of "$name")
    if [[ -n $id ]] && healthy "$id"; then
      note "$name is ready ($((SECONDS - phase_start)) s)"
    else
      still+=("$name")
    fi
  done
  pending=("${still[@]}")
  ((${#pending[@]})) || break
  if ((SECONDS >= deadline)); then
    for name in "${pending[@]}"; do
      id=$(container_of "$name")
      note "---- $name (last 20 lines) ----"
      [[ -z $id ]] || "$engine" logs --tail 20 "$id" >&2 2>&1
    done
    fail "not ready after ${timeout}s: ${pending[*]}"
  fi
  sleep 2
done
phase "start until every /health/ready answered 200"

for name in "${oneshots[@]}"; do
  id=$(container_of "$name")
  [[ -n $id ]] || fail "no container for $name"
  state=$("$engine" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id")
  [[ $state == "exited 0" ]] || fail "$name: $state (expected: exited 0)"
done
note "init and the six migrations exited 0"

# ---- 4. gRPC health of every service, on its gRPC port, from inside its network namespace ----
for name in "${services[@]}"; do
  id=$(container_of "$name")
  pid=$("$engine" inspect -f '{{.State.Pid}}' "$id")
  # An empty HealthCheckRequest (5-byte frame); SERVING is the field status = 1: bytes 08 01.
  answer=$(printf '\0\0\0\0\0' | nsenter -t "$pid" -n curl -sS --max-time 5 --http2-prior-knowledge \
    -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- \
    http://127.0.0.1:5000/grpc.health.v1.Health/Check | od -An -tx1 | tr -d ' \n') ||
    fail "$name: gRPC health call failed"
  [[ $answer == 00000000020801 ]] || fail "$name: gRPC health answered '$answer', not SERVING"
done
note "gRPC health: all six SERVING"
phase "health checks"

# ---- 5. an agent: enrol, back up, list, restore, compare ----
admin_key=$("$engine" exec "$(container_of api)" urb-service create-admin-key --name compose-check 2>>"$log") ||
  fail "create-admin-key"
admin_key=$(sed -e 's/[[:space:]]*$//' -e '/^$/d' <<<"$admin_key" | tail -n1)
[[ $admin_key == urbk1.* ]] || fail "create-admin-key printed no key"
(umask 077 && printf '%s\n' "$admin_key" >"$work/admin-api-key")
client=$(dotnet "$ROOT/artifacts/bin/Urb.Admin/release/Urb.Admin.dll" --api "http://127.0.0.1:$api_port" \
  --api-key-file "$work/admin-api-key" client add compose-check --json) || fail "urb client add"
token=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])' <<<"$client")

mkdir -p "$work/data/docs/deeper" "$work/agent" "$work/restore"
head -c 3000000 /dev/urandom >"$work/data/random.bin"
seq 1 20000 >"$work/data/docs/numbers.txt"
echo "hello from the compose check" >"$work/data/docs/deeper/hello.txt"
ln -s docs/numbers.txt "$work/data/link"
chmod -R a+rX "$work/data"
chown 10001:10001 "$work/agent" "$work/restore"

agent() {
  "$engine" run --rm --network host -v "$work/agent:/var/lib/urb-agent" -v "$work/data:/data:ro" \
    -v "$work/restore:/restore" "localhost/urb-agent:$version" "$@" 2>>"$log"
}
agent enroll --server "https://localhost:$agent_port" --token "$token" >>"$log" || fail "agent enroll"
agent status >>"$log" || fail "agent status"
agent backup --path /data >>"$log" || fail "agent backup"
backups=$(agent backups --json) || fail "agent backups"
[[ $(python3 -c 'import json, sys; print(len(json.load(sys.stdin)))' <<<"$backups") -ge 1 ]] ||
  fail "no backup listed: $backups"
agent restore --backup latest --path data --to /restore >>"$log" || fail "agent restore"
diff -r --no-dereference "$work/data" "$work/restore" >&2 || fail "the restored tree differs"
note "agent: enrolled, backed up, listed and restored; the restore equals the source"
phase "agent enrol, backup, restore"

# ---- 6. the server's own state, backed up as docs/operations.md says ----
"$engine" run --rm -v "${project}_pki:/pki:ro" -v "${project}_keys:/keys:ro" -v "$work:/out" \
  localhost/urb-debian:bookworm tar -C / -czf /out/urb-keys.tar.gz pki keys 2>>"$log" || fail "tar of the PKI and keys"
contents=$(tar -tzf "$work/urb-keys.tar.gz")
for f in pki/ca.crt pki/ca.key pki/gateway.crt pki/gateway.key keys/storage-master.key; do
  grep -qx "$f" <<<"$contents" || fail "$f is not in the key backup"
done
"$engine" exec "$(container_of postgres)" pg_dump -h /run/postgresql -U postgres -Fc urb >"$work/urb.dump" 2>>"$log" ||
  fail "pg_dump"
[[ $(head -c 5 "$work/urb.dump") == PGDMP ]] || fail "the dump is not a pg_dump archive"
note "backed up the PKI, the master key and the database"
phase "server state backup"
