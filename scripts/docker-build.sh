#!/usr/bin/env bash
# Builds the image with its OCI labels stamped: version from the service's package.json,
# revision from git, creation time now. Tags simple-rest:<version> and simple-rest:latest.
# Extra arguments go to `docker build` (for example --network host); DOCKER names the client.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./packages/service/package.json').version")
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
registry_arg=()
[ -n "${NPM_CONFIG_REGISTRY:-}" ] && registry_arg=(--build-arg "NPM_CONFIG_REGISTRY=$NPM_CONFIG_REGISTRY")
DOCKER_BUILDKIT=1 "${DOCKER:-docker}" build \
  --build-arg "VERSION=$version" --build-arg "REVISION=$revision" --build-arg "CREATED=$created" \
  "${registry_arg[@]}" \
  -t "simple-rest:$version" -t simple-rest:latest "$@" .
