# PHP-FPM on UBI 9: geo-lookup
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
RUN dnf install -y --nodocs \
        php-fpm-8.2.13 \
        php-cli-8.2.13 \
        php-pgsql-8.2.13 \
        php-mbstring-8.2.13 \
    && dnf clean all \
    && useradd --system --uid 20000 --user-group --no-create-home app
WORKDIR /var/www/app
COPY src/ /var/www/app/
USER 20000
EXPOSE 9000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:9000/healthz"]
CMD ["php-fpm", "--nodaemonize"]
