# cio-relay: the relay (`cio-relay serve`) in a container. See docs/deploy.md.
#
# Stage 1 builds: all dependencies (TypeScript, Vite) and better-sqlite3's native module, compiled
# for this image's Node and libc; then drops the development dependencies.
FROM node:20-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt binary when one exists, else compiles with node-gyp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` (the build) needs the sources, copied below. The one install script the
# relay needs, better-sqlite3's native module, runs on its own; this layer stays cached until the
# lockfile changes.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY console ./console
RUN npm run build && npm prune --omit=dev

# Stage 2 runs: production dependencies, the compiled relay and console, nothing else.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CIO_RELAY_DB=/data/relay.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# The SQLite store lives in /data (not used with store.postgres); the image's `node` user owns it.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8787
# /health answers without credentials. Set HEALTH_PORT if the configuration listens elsewhere.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||process.env.PORT||8787)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM (graceful stop) and SIGHUP (configuration reload) itself.
ENTRYPOINT ["node", "bin/cio-relay.js"]
CMD ["serve"]
