FROM node:20.14.0-bookworm-slim
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile --production
COPY . .
USER 1000
CMD ["node", "index.js"]
