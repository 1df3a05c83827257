# syntax=docker/dockerfile:1
FROM node:20.14.0-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc \
    npm ci --omit=dev
COPY . .
USER 1000
CMD ["node", "server.js"]
