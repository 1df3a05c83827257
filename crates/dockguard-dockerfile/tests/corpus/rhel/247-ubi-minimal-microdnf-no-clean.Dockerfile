# Node.js on UBI 9 minimal: orders-api
FROM registry.access.redhat.com/ubi9/nodejs-20-minimal:1-54
LABEL org.opencontainers.image.title="orders-api" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/orders-api"
RUN microdnf install -y --nodocs tar-1.34 gzip-1.12
WORKDIR /opt/app-root/src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
    && npm cache clean --force
COPY . .
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["node", "server.js"]
