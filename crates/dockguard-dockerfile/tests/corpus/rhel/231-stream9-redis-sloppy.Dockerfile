# Redis on CentOS Stream 9: feature-flags
FROM quay.io/centos/centos:stream9-20240610.0
RUN dnf install -y --nodocs redis \
    && dnf clean all
WORKDIR /var/lib/redis
ADD redis.conf /usr/local/etc/redis/redis.conf
EXPOSE 6379
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
