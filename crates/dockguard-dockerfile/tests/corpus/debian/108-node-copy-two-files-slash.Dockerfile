FROM node:20.14.0-bookworm-slim
WORKDIR /srv/app
COPY package.json package-lock.json /srv/app/
RUN npm ci --omit=dev
COPY src/ /srv/app/src/
USER 1000
CMD ["node", "src/index.js"]
