FROM node:20.14.0-bookworm-slim
WORKDIR /app
COPY --chown=1000:1000 . .
USER 1000
RUN npm ci --omit=dev
USER root
CMD ["node", "server.js"]
