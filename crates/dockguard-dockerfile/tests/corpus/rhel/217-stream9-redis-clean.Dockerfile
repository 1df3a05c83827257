# Redis on CentOS Stream 9: media-resizer
FROM quay.io/centos/centos:stream9-20240610.0
RUN dnf install -y --nodocs redis-7.2.4 && \
    dnf clean all
WORKDIR /var/lib/redis
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 997
EXPOSE 6379
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
