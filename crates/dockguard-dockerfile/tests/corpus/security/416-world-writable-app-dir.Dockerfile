FROM node:20.14.0-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev && chmod -R 777 /app
USER 1000
CMD ["node", "server.js"]
