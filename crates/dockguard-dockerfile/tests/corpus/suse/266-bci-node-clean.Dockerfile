# Node.js on SUSE BCI: notifier
FROM registry.suse.com/bci/nodejs:20-33.3
LABEL org.opencontainers.image.title="notifier" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/notifier"
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends timezone=2024a shadow=4.8.1 \
    && zypper clean --all \
    && useradd --system --uid 20000 --user-group --no-create-home app
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm@9.4.0 \
    && pnpm install --frozen-lockfile --prod
COPY . .
USER 20000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:3000/healthz"]
CMD ["node", "server.js"]
