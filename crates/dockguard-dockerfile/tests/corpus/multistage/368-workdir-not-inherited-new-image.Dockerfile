FROM node:20.14.0-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM nginx:1.27.0-bookworm
COPY --from=build /app/dist/ html/
COPY nginx.conf .
USER 101
