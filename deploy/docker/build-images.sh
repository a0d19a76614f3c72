#!/usr/bin/env bash
# build-images.sh: build Urb's container images from binaries published on this host.
#
#   deploy/docker/build-images.sh                 # build, publish, then every image
#   deploy/docker/build-images.sh api agent       # only these images
#
# Images (tag = the version in Directory.Build.props, never "latest"):
#   urb-gateway urb-ingest urb-dedupindex urb-storage urb-scheduler urb-api   (Dockerfile.service)
#   urb-agent                                                                 (Dockerfile.agent)
#   urb-postgres urb-redis                 (Debian's packages, for the compose stack only)
#
# Why published on the host: no NuGet feed is reachable from inside a container here, and the
# host's build is the one the tests ran against. The script runs `dotnet build -c Release`,
# `dotnet publish --no-build` for each project into artifacts/docker/publish/, copies the
# host's .NET runtime into artifacts/docker/dotnet/ and builds with artifacts/docker/ as the
# context. The images are therefore linux-x64 only.
#
# Environment: URB_ENGINE (podman or docker; default podman if installed), URB_BASE_IMAGE
# (default localhost/urb-debian:bookworm, made by make-base-image.sh), URB_IMAGE_PREFIX (default
# localhost/), URB_VERSION (default: Directory.Build.props), URB_SKIP_BUILD=1 (publish what
# artifacts/ holds without building first), DOTNET (the dotnet command).
set -euo pipefail
# What goes into the images must be readable by their non-root user, whatever the caller's umask
# (compose-check.sh runs with 077 for its secrets).
umask 022

ROOT="$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd -P)"
HERE="$ROOT/deploy/docker"
CONTEXT="$ROOT/artifacts/docker"
DOTNET="${DOTNET:-dotnet}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

engine=${URB_ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
base=${URB_BASE_IMAGE:-localhost/urb-debian:bookworm}
prefix=${URB_IMAGE_PREFIX-localhost/}
version=${URB_VERSION:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/Directory.Build.props" | head -n1)}
[[ -n $version ]] || { echo "build-images.sh: no <Version> in Directory.Build.props" >&2; exit 1; }

note() { printf 'build-images.sh: %s\n' "$*" >&2; }

declare -A PROJECT=(
  [gateway]=services/Urb.AgentGateway [ingest]=services/Urb.Ingest
  [dedupindex]=services/Urb.DedupIndex [storage]=services/Urb.Storage
  [scheduler]=services/Urb.Scheduler [api]=services/Urb.Api [agent]=agent/Urb.Agent
)
ALL=(gateway ingest dedupindex storage scheduler api agent postgres redis)
wanted=("$@")
((${#wanted[@]})) || wanted=("${ALL[@]}")
for name in "${wanted[@]}"; do
  [[ " ${ALL[*]} " == *" $name "* ]] || { note "unknown image '$name' (${ALL[*]})"; exit 64; }
done

"$engine" image inspect "$base" >/dev/null 2>&1 ||
  { note "base image $base not found: run deploy/docker/make-base-image.sh (or set URB_BASE_IMAGE)"; exit 1; }

needs_dotnet=0
for name in "${wanted[@]}"; do [[ -n ${PROJECT[$name]:-} ]] && needs_dotnet=1; done

if ((needs_dotnet)); then
  if [[ ${URB_SKIP_BUILD:-} != 1 ]]; then
    note "dotnet build -c Release"
    (cd "$ROOT" && "$DOTNET" build Urb.Services.sln -c Release -nologo -v q -clp:NoSummary)
  fi
  for name in "${wanted[@]}"; do
    [[ -n ${PROJECT[$name]:-} ]] || continue
    project=${PROJECT[$name]}
    assembly=$(basename "$project")
    note "dotnet publish $assembly"
    rm -rf "$CONTEXT/publish/$assembly"
    # The images carry the .NET runtime for the services anyway, so the agent's image runs the
    # agent built for it (the native build is for machines without .NET: ./urb up, installers).
    "$DOTNET" publish "$ROOT/$project/$assembly.csproj" -c Release --no-build -nologo -v q -p:PublishAot=false \
      -o "$CONTEXT/publish/$assembly" >/dev/null
  done

  # The runtime the services run on here: the host's newest Microsoft.AspNetCore.App 10.0.x
  # and the Microsoft.NETCore.App of the same version.
  dotnet_root=$(dirname "$(readlink -f "$(command -v "$DOTNET")")")
  runtime=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | grep -E '^10\.0\.[0-9]+$' | sort -V | tail -n1)
  [[ -n $runtime && -d $dotnet_root/shared/Microsoft.NETCore.App/$runtime ]] ||
    { note "no .NET 10 runtime under $dotnet_root/shared"; exit 1; }
  fxr=$(ls "$dotnet_root/host/fxr" | sort -V | tail -n1)
  if [[ ! -f $CONTEXT/dotnet/.version || $(<"$CONTEXT/dotnet/.version") != "$runtime $fxr" ]]; then
    note "staging the .NET runtime $runtime"
    rm -rf "$CONTEXT/dotnet"
    mkdir -p "$CONTEXT/dotnet/shared/Microsoft.NETCore.App" "$CONTEXT/dotnet/shared/Microsoft.AspNetCore.App" \
      "$CONTEXT/dotnet/host/fxr"
    cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$CONTEXT/dotnet/"
    cp -a "$dotnet_root/host/fxr/$fxr" "$CONTEXT/dotnet/host/fxr/"
    cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$CONTEXT/dotnet/shared/Microsoft.NETCore.App/"
    cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime" "$CONTEXT/dotnet/shared/Microsoft.AspNetCore.App/"
    # Not part of the image: the marker is excluded by .dockerignore.
    echo "$runtime $fxr" >"$CONTEXT/dotnet/.version"
  fi
fi

# A context staged earlier under a stricter umask is made readable too.
chmod -R a+rX "$CONTEXT"
mkdir -p "$CONTEXT/bin"
cp "$HERE/urb-healthcheck" "$HERE/urb-postgres" "$HERE/urb-redis" "$CONTEXT/bin/"
printf 'dotnet/.version\n' >"$CONTEXT/.dockerignore"

build_args=(--build-arg "BASE_IMAGE=$base" --build-arg "VERSION=$version")
# podman's default OCI format drops HEALTHCHECK; the Docker format keeps it.
[[ $(basename "$engine") != podman ]] || build_args+=(--format docker)

for name in "${wanted[@]}"; do
  case "$name" in
    agent) file=Dockerfile.agent extra=() tag="${prefix}urb-agent:$version" ;;
    postgres) file=Dockerfile.postgres extra=(--network host) tag="${prefix}urb-postgres:15" ;;
    redis) file=Dockerfile.redis extra=(--network host) tag="${prefix}urb-redis:7" ;;
    *) file=Dockerfile.service extra=(--build-arg "PROJECT=$(basename "${PROJECT[$name]}")") tag="${prefix}urb-$name:$version" ;;
  esac
  if [[ $name == postgres || $name == redis ]] && [[ ${URB_REBUILD:-} != 1 ]] &&
    "$engine" image inspect "$tag" >/dev/null 2>&1; then
    note "$tag exists (URB_REBUILD=1 builds it again)"
    continue
  fi
  note "building $tag"
  "$engine" build -q "${build_args[@]}" "${extra[@]}" -f "$HERE/$file" -t "$tag" "$CONTEXT" >/dev/null
done
"$engine" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '(^|/)urb-' | sort
