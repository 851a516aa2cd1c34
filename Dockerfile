# syntax=docker/dockerfile:1
# Bookrelay: the companion plus both built browser extensions (served at /downloads/bookrelay-{chrome,firefox}.zip).
#
#   docker build -t bookrelay .                   default: headless Chromium for the challenge bypass
#   docker build --target lite -t bookrelay:lite .  no browser (extension hand-off, FlareSolverr/Byparr), much smaller
#   docker build --target tor -t bookrelay:tor .    Chromium + Debian's tor; all outbound traffic goes through Tor
#
#   docker run -p 8084:8084 -e PUID=1000 -e PGID=1000 -v ./config:/config -v ./ingest:/cwa-book-ingest bookrelay
#
# Multi-arch (linux/amd64, linux/arm64): only the Node base image and Debian packages, nothing arch-specific fetched.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: the commands CI runs (npm ci, npm run build), then the store zips, then production-only modules ----
FROM ${NODE_IMAGE} AS build
# The lockfile was written by npm 11.19 (allowScripts); use the same npm so `npm ci` reads it the same way.
RUN npm install -g npm@11.19.1
WORKDIR /app
# Puppeteer never downloads a browser (.puppeteerrc.cjs, allowScripts and this variable all say so).
ENV PUPPETEER_SKIP_DOWNLOAD=true
# Inputs of `npm ci` first, so edits to companion/ reuse the cached install. Its postinstall (scripts/node24.mjs
# setup: better-sqlite3 check, `wxt prepare`) needs wxt.config.ts and the extension's entrypoints.
COPY package.json package-lock.json .npmrc .puppeteerrc.cjs wxt.config.ts tsconfig.json ./
COPY scripts/node24.mjs ./scripts/node24.mjs
COPY extension ./extension
COPY shared ./shared
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
RUN npm run zip && rm -f .output/*-sources.zip
# Drop devDependencies in place (no install script runs again), and the registry's Node 24 binary: the base image's
# own Node 24 runs the companion.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund && rm -rf node_modules/node-linux-*

# ---- lite: the companion without a browser ----
FROM ${NODE_IMAGE} AS lite
# tini forwards SIGTERM to the companion (which drains the queue) and reaps Chromium's orphans in the other targets;
# setpriv (util-linux, part of every Debian image) drops from root to PUID:PGID in the entrypoint.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# No HOST and no PORT here: CWA-BD's FLASK_HOST / FLASK_PORT must keep working (the entrypoint listens on 0.0.0.0
# unless told otherwise; the port defaults to 8084). DATA_DIR / INGEST_DIR default in the entrypoint too, so an
# older image's /data and Shelfmark's /books are found.
ENV NODE_ENV=production \
    USE_CF_BYPASS=false \
    PUPPETEER_SKIP_DOWNLOAD=true \
    NODE_COMPILE_CACHE=/tmp/bookrelay-compile-cache
# The app stays root-owned and read-only to the process; only the volumes are writable.
COPY --from=build /app/package.json /app/.puppeteerrc.cjs ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/.output ./.output
COPY docker/entrypoint.sh /usr/local/bin/bookrelay-entrypoint
COPY docker/healthcheck.mjs /usr/local/lib/bookrelay/healthcheck.mjs
RUN chmod 0755 /usr/local/bin/bookrelay-entrypoint && mkdir -p /config /cwa-book-ingest
VOLUME ["/config", "/cwa-book-ingest"]
EXPOSE 8084
# Non-2xx (401, 500), a refused connection or a 4 s timeout: unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/usr/local/lib/bookrelay/healthcheck.mjs"]
STOPSIGNAL SIGTERM
# Starts as root only to fix the volumes' owner, then runs the companion as PUID:PGID (default 1000:1000).
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/bookrelay-entrypoint"]
CMD ["node", "dist/server.js"]

# ---- full: lite plus Debian's Chromium for the headless challenge bypass ----
FROM lite AS full
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
ENV USE_CF_BYPASS=true \
    CHROMIUM_PATH=/usr/bin/chromium \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium \
    XDG_CONFIG_HOME=/tmp/.chromium \
    XDG_CACHE_HOME=/tmp/.chromium

# ---- tor: full plus Debian's tor, started by the entrypoint; the companion talks only through its SOCKS port ----
FROM full AS tor
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tor \
 && rm -rf /var/lib/apt/lists/*
ENV USING_TOR=true \
    TOR_BOOTSTRAP_TIMEOUT=300

# ---- default (the last stage, what a plain `docker build .` makes): full ----
FROM full AS default
LABEL org.opencontainers.image.title="Bookrelay" \
      org.opencontainers.image.description="Books from Anna's Archive into Calibre-Web-Automated: companion + browser extension"
