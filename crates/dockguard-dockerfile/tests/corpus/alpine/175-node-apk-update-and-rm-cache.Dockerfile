# Node.js service on Alpine: pricing
FROM node:20.14.0-alpine3.20
ENV NODE_ENV=production
RUN apk add --update tini=0.19.0-r3 \
    && rm -rf /var/cache/apk/*
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production \
    && yarn cache clean
COPY . .
USER 1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:3000/healthz"]
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/main.js"]
