# Node.js service on Alpine: checkout
FROM node:20.14.0-alpine3.20
ENV NODE_ENV=production
RUN apk add --no-cache tini=0.19.0-r3
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["wget", "-q", "--spider", "http://localhost:3000/healthz"]
HEALTHCHECK --interval=10s --timeout=2s --retries=5 CMD ["wget", "-q", "--spider", "http://localhost:3000/healthz"]
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/main.js"]
