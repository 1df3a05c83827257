FROM node:20.14.0-bookworm-slim AS app
WORKDIR /app
COPY --from=assets /assets/dist ./public
COPY . .

FROM node:20.14.0-bookworm-slim AS assets
WORKDIR /assets
COPY frontend/ .
RUN npm ci && npm run build
