# Redis on Alpine: search-indexer
FROM redis:7.2.5-alpine3.20
LABEL org.opencontainers.image.title="search-indexer" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/search-indexer"
WORKDIR /data
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 999
EXPOSE 6379
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["redis-cli", "ping"]
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
