# Redis cache: billing
FROM redis
WORKDIR /data
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 999
EXPOSE 6379
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
