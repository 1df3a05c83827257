FROM node:20.14.0-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build
HEALTHCHECK NONE

FROM nginx:1.27.0-bookworm
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="status-page" \
      org.opencontainers.image.source="https://git.example.com/acme/status-page" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c" \
      org.opencontainers.image.version="1.4.2"
COPY --from=build /app/dist /usr/share/nginx/html
HEALTHCHECK CMD ["curl", "-fsS", "http://localhost:8080/"]
USER 101
