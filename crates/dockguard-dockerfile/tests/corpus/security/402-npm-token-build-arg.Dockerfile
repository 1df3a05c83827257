FROM node:20.14.0-bookworm-slim
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json ./
RUN echo "//npm.pkg.example.com/:_authToken=${NPM_TOKEN}" > .npmrc \
    && npm ci --omit=dev \
    && rm -f .npmrc
COPY . .
USER 1000
CMD ["node", "server.js"]
