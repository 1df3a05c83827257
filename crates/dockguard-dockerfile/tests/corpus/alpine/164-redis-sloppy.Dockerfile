# Redis on Alpine: media-resizer
FROM redis:7.2.5-alpine3.20
WORKDIR /data
ADD redis.conf /usr/local/etc/redis/redis.conf
USER redis
EXPOSE 6379
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
