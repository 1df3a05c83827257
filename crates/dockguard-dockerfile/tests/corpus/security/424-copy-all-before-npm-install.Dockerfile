FROM node:20.14.0-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
USER 1000
CMD ["node", "index.js"]
