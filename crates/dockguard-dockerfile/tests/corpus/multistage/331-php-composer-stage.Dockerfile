FROM composer:2.7.7 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --prefer-dist --ignore-platform-reqs

FROM php:8.3.8-fpm-alpine3.20
WORKDIR /var/www/html
COPY --from=vendor /app/vendor ./vendor
COPY . .
USER 82
CMD ["php-fpm"]
