# syntax=docker/dockerfile:1

# ---- build: full install (Nest CLI, TypeScript, swc are dev deps), compile, then drop dev deps ----
FROM node:22-bookworm-slim AS build
WORKDIR /app
# swagger-ui-dist depends on @scarf/scarf, whose install script sends usage analytics
ENV SCARF_ANALYTICS=false
# manifests first: the dependency layer stays cached until package*.json change
COPY package.json package-lock.json ./
# dev deps included here on purpose; @swc/core's postinstall runs only in this stage.
# The image's bundled npm (npm 10.x on node:22) accepts the current lockfile; npm 11.19 `npm ci` rejects it
# (optional platform binaries missing from package-lock.json), so don't upgrade npm here until the lock is regenerated
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# nest build writes dist/src (app, CLIs, sandbox keys) and dist/migrations; prune leaves production node_modules
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code + production node_modules, unprivileged ----
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# DATA_DIR defaults to ./data (embedded PGlite, refused in production, but also the natural LOG_FILE spot): make it writable by `node`
RUN mkdir -p /app/data && chown node:node /app/data
# code stays root-owned, so the app cannot rewrite itself
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# slim has no curl; Node 22 has fetch. Liveness only: /health/ready also pings the database
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly, not npm: SIGTERM reaches the process (enableShutdownHooks closes the pool and the server)
CMD ["node", "dist/src/main.js"]
