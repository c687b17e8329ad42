# simple-rest: build with Node on Debian slim, run on distroless.
# The runtime is gcr.io/distroless/nodejs24-debian13:nonroot rather than node:24-slim with
# USER node: it is about 100 MB smaller, runs as uid 65532 by default, and has no shell,
# package manager or setuid binaries for an intruder to use. The price is no `docker exec sh`,
# and a HEALTHCHECK written in Node (below).

# Every workspace's package.json and nothing else, so a new workspace needs no line here. This
# stage reruns on any change, but its output changes only with a manifest, so the install layer
# below is reused until a dependency changes.
FROM node:24-slim AS manifests
WORKDIR /app
COPY packages packages
RUN find packages -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=manifests /app/packages packages
ARG NPM_CONFIG_REGISTRY
# No BuildKit-only syntax anywhere (cache or bind mounts): the file builds with Docker's legacy
# builder too, where BuildKit is off. This layer is reused until a manifest or the lockfile changes.
RUN npm ci --no-audit --no-fund
COPY scripts/bundle.mjs scripts/bundle-options.mjs scripts/service-entry.mjs scripts/workspaces.mjs scripts/warm-compile-cache.mjs scripts/
COPY packages packages
# The service and each module bundled with their dependencies (scripts/bundle.mjs): the
# runtime needs no node_modules of npm's, so no dev dependency or source can reach it.
RUN node scripts/bundle.mjs && mkdir compile-cache

# Node's compile cache and the service's code cache (scripts/service-entry.mjs), filled by running
# the service once on the runtime image's Node.js, as its user: a cache is read only by the
# Node.js version (and for Node's, the uid) that wrote it. Each start then compiles less
# (docs/benchmarks.md measures it). Portable: entries are keyed by paths relative
# to the cache, so /app keeps it wherever it is copied. The warm-up script is copied into this
# stage only: the image takes nothing from it but the cache. The cache stays the service user's (Node writes entries 0600 and reads only its own);
# the root file system is read-only where the image runs (compose.yaml, k8s/), so nothing
# can change it there.
FROM gcr.io/distroless/nodejs24-debian13:nonroot AS compile-cache
WORKDIR /app
COPY --from=build /app/packages/service/bundle/ ./
COPY --from=build --chown=nonroot:nonroot /app/compile-cache compile-cache
ENV NODE_COMPILE_CACHE=/app/compile-cache NODE_COMPILE_CACHE_PORTABLE=1
COPY --from=build /app/scripts/warm-compile-cache.mjs /tmp/warm-compile-cache.mjs
RUN ["/nodejs/bin/node", "/tmp/warm-compile-cache.mjs"]

FROM gcr.io/distroless/nodejs24-debian13:nonroot
# A plain `docker build` labels the right version (a test keeps this default equal to the
# service's package.json version); `npm run docker:build` also stamps revision and time.
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="simple-rest" \
      org.opencontainers.image.description="Modular REST services in TypeScript on Node.js: the Flask tutorial's service and blueprint, production grade" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="https://github.com/simple-rest/simple-rest" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=5000
WORKDIR /app
COPY --from=build /app/packages/service/bundle/ ./
COPY --from=compile-cache /app/compile-cache compile-cache
ENV NODE_COMPILE_CACHE=/app/compile-cache NODE_COMPILE_CACHE_PORTABLE=1
EXPOSE 5000
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/nodejs/bin/node", "dist/healthcheck.mjs"]
# Exec form, and node itself as PID 1 (the base image's ENTRYPOINT): SIGTERM reaches the
# service, which drains and exits 0. Never `npm start` here: npm does not forward signals.
# A young generation of at most 4 MB a half keeps the peak RSS under load near bare Node's, for
# 0-5 % more CPU per request (docs/benchmarks.md); the workers of WEB_CONCURRENCY inherit it.
CMD ["--max-semi-space-size=4", "dist/main.mjs"]
