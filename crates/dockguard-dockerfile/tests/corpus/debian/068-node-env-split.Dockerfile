# Node.js HTTP service: status-page
FROM node:20.14.0-bookworm-slim
ENV APP_HOME=/srv/status-page
ENV APP_CONFIG=${APP_HOME}/config.yaml \
    PATH=${APP_HOME}/bin:$PATH
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 tini=0.19.0-1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production \
    && yarn cache clean
COPY . .
USER 1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["node", "dist/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server.js"]
