# syntax=docker/dockerfile:1
# The pmkpi server image: multi-stage, Debian 12, an unprivileged user, a health check.
#   docker build -t pmkpi .
#   docker run --rm -p 8000:8000 pmkpi            # then open http://localhost:8000/docs
#   docker run --rm -p 8000:8000 -e CORS_ORIGINS=https://your-frontend.com -e API_WORKERS=4 pmkpi
# Configuration is the server's environment variables (pmkpi-server --help lists them).

# ---- build: the server, the docs pages' assets (from npm) and the web UI -------------------------
# node:20-bookworm is Debian 12 with Node 20, which the workspace's package.json asks for.
FROM node:20-bookworm AS build
# emscripten and node-acorn build the web UI's WebAssembly module; the rest builds the server.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      cmake ninja-build g++ libboost-dev libeigen3-dev nlohmann-json3-dev libsimdjson-dev emscripten node-acorn \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so this layer is cached while only sources change. No install scripts run.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The presets of CMakePresets.json, as everywhere: only the server (no test suites or benchmarks),
# then the WebAssembly module without its test suite, then the web UI (dist/app, served under /app/).
ENV PMKPI_CONFIGURE_ARGS="-DPMKPI_BUILD_TESTS=OFF -DPMKPI_BUILD_BENCH=OFF"
RUN bash scripts/build.sh server wasm-module \
 && strip build/pmkpi-server \
 && npm run build:web

# ---- runtime: the binary, its docs assets and the UI; nothing else -------------------------------
FROM debian:12-slim
# curl only for the health check; libsimdjson14 the request-body parser's library; libstdc++ is
# already part of the base image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl libsimdjson14 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /opt/pmkpi --shell /usr/sbin/nologin pmkpi
WORKDIR /opt/pmkpi
# The server finds docs-assets next to its binary and the UI in dist/app under its working directory.
COPY --from=build /src/build/pmkpi-server /opt/pmkpi/bin/pmkpi-server
COPY --from=build /src/build/docs-assets/ /opt/pmkpi/bin/docs-assets/
COPY --from=build /src/dist/app/ /opt/pmkpi/dist/app/
USER pmkpi:pmkpi
ENV API_HOST=0.0.0.0 \
    API_PORT=8000 \
    LOG_LEVEL=info
EXPOSE 8000
# Shell form, so a different API_PORT given at run time is honoured.
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${API_PORT}/health" > /dev/null || exit 1
# SIGTERM (docker stop) finishes the requests in flight, then exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/pmkpi/bin/pmkpi-server"]
