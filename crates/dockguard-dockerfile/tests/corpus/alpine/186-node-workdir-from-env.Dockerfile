# Node.js service on Alpine: billing
FROM node:20.14.0-alpine3.20
ENV NODE_ENV=production
RUN apk add --no-cache tini=0.19.0-r3
ENV APP_ROOT=/app
WORKDIR $APP_ROOT
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1000
EXPOSE 3000
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/main.js"]
