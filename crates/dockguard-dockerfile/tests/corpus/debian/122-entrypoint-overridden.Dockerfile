FROM node:20.14.0-bookworm-slim
ENTRYPOINT ["docker-entrypoint.sh"]
WORKDIR /app
COPY . .
USER 1000
ENTRYPOINT ["node", "server.js"]
