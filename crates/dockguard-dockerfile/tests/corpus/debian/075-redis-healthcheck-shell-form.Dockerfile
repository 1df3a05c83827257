# Redis cache: catalog
FROM redis:7.2.5-bookworm
LABEL org.opencontainers.image.title="catalog" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/catalog"
WORKDIR /data
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 999
EXPOSE 6379
HEALTHCHECK --interval=30s CMD redis-cli ping || exit 1
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
