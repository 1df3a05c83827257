# Node.js on UBI 9 (module stream): audit-log
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
MAINTAINER Platform Team <platform@example.com>
RUN dnf module enable -y nodejs:20 && \
    dnf install -y --nodocs nodejs-20.12.2 npm-10.5.0 && \
    dnf clean all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /opt/app-root/src
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1000
EXPOSE 3000
CMD ["node", "server.js"]
