FROM node:20.14.0-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM nginx:1.27.0-bookworm AS web
COPY --from=build /app/dist /usr/share/nginx/html
USER 101
