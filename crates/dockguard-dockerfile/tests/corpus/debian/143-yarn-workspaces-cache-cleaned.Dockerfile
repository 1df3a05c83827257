FROM node:18.20.3-bookworm
WORKDIR /repo
COPY package.json yarn.lock ./
COPY packages/ packages/
RUN yarn install --frozen-lockfile \
    && yarn workspace @acme/web build \
    && yarn cache clean --all
USER 1000
CMD ["yarn", "workspace", "@acme/web", "start"]
