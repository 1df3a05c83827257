# Redis cache: audit-log
FROM redis:7.2.5-bookworm
WORKDIR /data
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 999
EXPOSE 6379
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["redis-cli", "ping"]
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
