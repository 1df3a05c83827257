# Node.js on UBI 9 minimal: audit-log
FROM registry.access.redhat.com/ubi9/nodejs-20-minimal:1-54
RUN microdnf install -y --nodocs tar-1.34 gzip-1.12 && \
    microdnf clean all
WORKDIR /opt/app-root/src
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["node", "server.js"]
