# syntax=docker/dockerfile:1.7
FROM redis:7.2.5-bookworm
COPY <<EOF /usr/local/etc/redis/redis.conf
maxmemory 256mb
maxmemory-policy allkeys-lru
appendonly yes
EOF

USER 999
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
