# Node.js service on Alpine: report-worker
FROM node:20.14.0-alpine3.20
ENV NODE_ENV=production
RUN apk add --no-cache tini
WORKDIR /app
COPY . .
RUN npm install --production && npm install pm2
USER node
EXPOSE 3000
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/main.js"]
