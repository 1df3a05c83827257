FROM node:20.14.0-bookworm-slim
WORKDIR /usr/src/app
ONBUILD ARG NODE_ENV=production
ONBUILD COPY package.json package-lock.json ./
ONBUILD RUN npm ci
ONBUILD ONBUILD COPY . .
CMD ["npm", "start"]
