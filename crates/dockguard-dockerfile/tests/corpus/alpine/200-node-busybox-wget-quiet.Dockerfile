# Node.js service on Alpine: shipping
FROM node:20.14.0-alpine3.20
LABEL org.opencontainers.image.title="shipping" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/shipping"
ENV NODE_ENV=production
RUN apk add --no-cache tini=0.19.0-r3
ARG TOOL_VERSION=1.30.2
RUN wget -q -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" && \
    tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool && \
    rm -f /tmp/tool.tar.gz
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev \
    && npm cache clean --force
COPY . .
USER 1000
EXPOSE 3000
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["node", "dist/main.js"]
