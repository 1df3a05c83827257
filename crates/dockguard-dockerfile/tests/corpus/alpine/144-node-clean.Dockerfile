# Node.js service on Alpine: orders-api
FROM node:20.14.0-alpine3.20
LABEL org.opencontainers.image.title="orders-api" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/orders-api"
ENV NODE_ENV=production
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
    && npm cache clean --force
COPY . .
USER 1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:3000/healthz"]
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/main.js"]
