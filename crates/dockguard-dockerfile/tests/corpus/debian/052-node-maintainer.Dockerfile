# Node.js HTTP service: notifier
FROM node:20.14.0-bookworm-slim
MAINTAINER Platform Team <platform@example.com>
ENV NODE_ENV=production
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 tini=0.19.0-1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["node", "dist/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server.js"]
