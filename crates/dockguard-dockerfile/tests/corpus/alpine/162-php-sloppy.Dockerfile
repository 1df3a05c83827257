# PHP-FPM on Alpine: ledger
FROM php:8.3.8-fpm-alpine3.20
RUN apk add --no-cache --virtual .build-deps postgresql-dev && \
    apk add --no-cache libpq && \
    docker-php-ext-install pdo_pgsql opcache && \
    apk del .build-deps
WORKDIR /var/www/html
COPY --from=composer /usr/bin/composer /usr/bin/composer
COPY . .
RUN composer install --no-dev
USER www-data
EXPOSE 9000
CMD ["php-fpm"]
