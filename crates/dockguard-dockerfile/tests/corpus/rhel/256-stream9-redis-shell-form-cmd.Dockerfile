# Redis on CentOS Stream 9: ledger
FROM quay.io/centos/centos:stream9-20240610.0
LABEL org.opencontainers.image.title="ledger" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/ledger"
RUN dnf install -y --nodocs redis-7.2.4 && \
    dnf clean all
WORKDIR /var/lib/redis
COPY redis.conf /usr/local/etc/redis/redis.conf
USER 997
EXPOSE 6379
CMD redis-server /usr/local/etc/redis/redis.conf
