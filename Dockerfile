# The engine image: one image, the role chosen with ENGINE_ROLE.
FROM node:20-bookworm-slim AS build
# better-sqlite3 (the embedded index) builds from source when no prebuilt binary fits.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY connectors ./connectors
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HTTP_HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY rules ./rules
COPY dashboards ./dashboards
COPY connectors/replay/demo ./connectors/replay/demo
USER node
EXPOSE 8080
CMD ["node", "dist/src/main.js"]
