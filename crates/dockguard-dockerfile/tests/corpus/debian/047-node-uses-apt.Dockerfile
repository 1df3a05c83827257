# Node.js HTTP service: ingest
FROM node:20.14.0-bookworm-slim
ENV NODE_ENV=production
RUN apt update && \
    apt install -y --no-install-recommends ca-certificates=20230311 tini=0.19.0-1 && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production \
    && yarn cache clean
COPY . .
USER 1000
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server.js"]
