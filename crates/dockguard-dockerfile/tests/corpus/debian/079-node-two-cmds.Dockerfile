# Node.js HTTP service: webhooks
FROM node:20.14.0-bookworm-slim
ENV NODE_ENV=production
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates=20230311 tini=0.19.0-1 && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1000
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server.js"]
CMD ["node", "--verbose"]
