# Redis on CentOS Stream 9: auth-gateway
FROM quay.io/centos/centos:stream9-20240610.0
RUN dnf install -y --nodocs redis \
    && dnf clean all
WORKDIR /var/lib/redis
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 997
EXPOSE 6379
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["redis-cli", "ping"]
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
