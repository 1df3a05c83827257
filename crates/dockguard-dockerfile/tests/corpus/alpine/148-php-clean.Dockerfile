# PHP-FPM on Alpine: notifier
FROM php:8.3.8-fpm-alpine3.20
LABEL org.opencontainers.image.title="notifier" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/notifier"
RUN apk add --no-cache --virtual .build-deps postgresql-dev=16.4-r0 \
    && apk add --no-cache libpq=16.4-r0 \
    && docker-php-ext-install pdo_pgsql opcache \
    && apk del .build-deps
WORKDIR /var/www/html
COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-interaction --prefer-dist --optimize-autoloader
COPY . .
USER 82
EXPOSE 9000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["php-fpm-healthcheck"]
CMD ["php-fpm"]
