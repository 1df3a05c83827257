# Node.js on SUSE BCI: audit-log
FROM registry.suse.com/bci/nodejs:20-33.3
RUN zypper --non-interactive refresh && \
    zypper --non-interactive install --no-recommends timezone=2024a shadow=4.8.1 && \
    zypper clean --all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 1000
EXPOSE 3000
CMD ["node", "server.js"]
