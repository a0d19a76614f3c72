#!/usr/bin/env bash
# make-secrets.sh: write the dev overlay's secret files into secrets/ (git-ignored), once:
# passwords for its PostgreSQL and Redis, the connection strings, the storage master key and
# the PKI (the gateway's init-pki). Existing files are kept.
#
#   k8s/overlays/dev/make-secrets.sh [--host NAME]...
#
# --host: extra names agents dial (the PKI always names localhost, 127.0.0.1 and
# urb-gateway-agents.urb-dev.svc). Needs the built gateway (dotnet build -c Release).
set -euo pipefail

HERE="$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")" && pwd -P)"
ROOT="$(cd "$HERE/../../.." && pwd -P)"
dir="$HERE/secrets"
hosts=(--host localhost --host 127.0.0.1 --host urb-gateway-agents.urb-dev.svc)
while (($#)); do
  case "$1" in
    --host) hosts+=(--host "${2:?}"); shift 2 ;;
    *) echo "usage: make-secrets.sh [--host NAME]..." >&2; exit 64 ;;
  esac
done

umask 077
mkdir -p "$dir"
secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
once() { # FILE COMMAND...: FILE from the command's output, unless it exists
  local file=$1
  shift
  [[ -s $file ]] || { "$@" >"$file.tmp" && mv -f "$file.tmp" "$file"; }
}

once "$dir/postgres-password" secret
once "$dir/redis-password" secret
once "$dir/postgres-connection" printf 'Host=urb-postgres;Port=5432;Username=urb;Password=%s;Database=urb' \
  "$(<"$dir/postgres-password")"
once "$dir/redis-connection" printf 'urb-redis:6379,password=%s' "$(<"$dir/redis-password")"
once "$dir/storage-master.key" sh -c 'head -c 32 /dev/urandom | base64'

gateway="$ROOT/artifacts/bin/Urb.AgentGateway/release/Urb.AgentGateway.dll"
[[ -f $gateway ]] || (cd "$ROOT" && dotnet build services/Urb.AgentGateway -c Release -nologo -v q)
dotnet "$gateway" init-pki --dir "$dir/pki" "${hosts[@]}"
echo "make-secrets.sh: secrets in $dir (keep them: a new CA means every agent enrols again)"
