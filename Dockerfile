# The worker image: compiled code, the prebuilt workflow bundle and production dependencies only.
# Build: docker build -t order-cancellation .   Run: docker run --env-file .env order-cancellation
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# tsc to lib/, then the workflow bundle to lib/workflow-bundle.js; then drop dev dependencies.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY bin ./bin
# `cancel-orders dev` (the compose sandbox profile) keeps its generated payload key in /app/.temporal: node owns it.
RUN mkdir -p /app/.temporal && chown node:node /app/.temporal
USER node
# SIGTERM (docker stop) drains the worker: in-flight tasks finish, then the connection closes.
STOPSIGNAL SIGTERM
CMD ["node", "lib/worker/main.js"]
