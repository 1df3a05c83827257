# Redis cache: scheduler
FROM redis:7.2.5-bookworm
WORKDIR /data
ADD redis.conf /usr/local/etc/redis/redis.conf
EXPOSE 6379
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
