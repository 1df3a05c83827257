FROM node:20.14.0-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM node:20.14.0-bookworm-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER 1000
CMD ["node", "dist/index.js"]
