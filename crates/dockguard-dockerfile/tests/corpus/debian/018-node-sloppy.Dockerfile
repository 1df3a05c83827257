# Node.js HTTP service: report-worker
FROM node:20.14.0-bookworm-slim
ENV NODE_ENV=production
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates tini && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm install --production && npm install pm2
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server.js"]
