# PHP-FPM on UBI 9: webhooks
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install -y --nodocs \
        php-fpm-8.2.13 \
        php-cli-8.2.13 \
        php-pgsql-8.2.13 \
        php-mbstring-8.2.13 && \
    dnf clean all
WORKDIR /var/www/app
COPY src/ /var/www/app/
USER root
EXPOSE 9000
CMD ["php-fpm", "--nodaemonize"]
