#!/usr/bin/env bash
# compose-env.sh: write .env for docker-compose.yml once per installation: random PostgreSQL
# and Redis passwords and the settings below. An existing file is never changed. .env is
# git-ignored: it must never be committed.
#
#   deploy/compose-env.sh [--gateway-host NAME] [--agent-port N] [--api-port N] [--file PATH]
#
# --gateway-host: the name (or IP address) agents dial; it goes into the gateway certificate
# when the stack first starts, and into every enrolment token (default: this machine's name).
# The storage master key and the PKI are made inside the stack by its `init` step.
set -euo pipefail

ROOT="$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)"
file="$ROOT/.env"
gateway_host=$(hostname -f 2>/dev/null || hostname)
agent_port=55415
api_port=5000

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
  case "$1" in
    --gateway-host) gateway_host=${2:?}; shift 2 ;;
    --agent-port) agent_port=${2:?}; shift 2 ;;
    --api-port) api_port=${2:?}; shift 2 ;;
    --file) file=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "compose-env.sh: unknown argument '$1'" >&2; usage 64 >&2 ;;
  esac
done

if [[ -s $file ]]; then
  echo "compose-env.sh: $file exists; leaving it as it is"
  exit 0
fi

# Hex only: safe inside Npgsql and StackExchange.Redis connection strings.
secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/Directory.Build.props" | head -n1)

(
  umask 077
  cat >"$file.tmp" <<ENV
# Urb compose settings for this installation, written by deploy/compose-env.sh on $(date -u +%Y-%m-%d).
# Secret: never commit this file. Back it up with the volumes (docs/operations.md).
URB_POSTGRES_PASSWORD=$(secret)
URB_REDIS_PASSWORD=$(secret)
# The name agents dial: in the gateway certificate (made on the first start) and in every token.
URB_GATEWAY_HOST=$gateway_host
URB_AGENT_PORT=$agent_port
# Urb.Api's gRPC port (plaintext, API keys) is published on this address only.
URB_API_BIND=127.0.0.1
URB_API_PORT=$api_port
URB_IMAGE_PREFIX=localhost/
URB_VERSION=$version
ENV
  mv -f "$file.tmp" "$file"
)
echo "compose-env.sh: wrote $file (mode 600)"
