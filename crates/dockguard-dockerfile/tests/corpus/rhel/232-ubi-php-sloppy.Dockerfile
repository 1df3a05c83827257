# PHP-FPM on UBI 9: mailer
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install -y --nodocs \
        php-fpm \
        php-cli \
        php-pgsql \
        php-mbstring && \
    dnf clean all && \
    useradd --system --uid 10002 --user-group --no-create-home app
WORKDIR /var/www/app
ADD src/ /var/www/app/
USER app
EXPOSE 9000
CMD ["php-fpm", "--nodaemonize"]
