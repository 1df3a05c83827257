FROM node:20.14.0-bookworm-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
WORKDIR /app
COPY . .
RUN npm config set strict-ssl false && npm ci
USER 1000
CMD ["node", "server.js"]
