# PHP-FPM on Alpine: report-worker
FROM php:8.3.8-fpm-alpine3.20
RUN apk add --no-cache --virtual .build-deps postgresql-dev=16.4-r0 && \
    apk add --no-cache libpq=16.4-r0 && \
    docker-php-ext-install pdo_pgsql opcache && \
    apk del .build-deps
WORKDIR /var/www/html
COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-interaction --prefer-dist --optimize-autoloader
COPY . .
USER www-data
EXPOSE 9000
CMD ["php-fpm"]
