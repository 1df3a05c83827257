# PHP application on Apache: mailer
FROM php:8.3.8-apache-bookworm
RUN apt-get update && \
    apt-get install -o APT::Install-Recommends=false -y libpq-dev=15.8-0+deb12u1 libzip-dev=1.7.3-1+b1 unzip=6.0-28 && \
    docker-php-ext-install -j"$(nproc)" pdo_pgsql zip opcache && \
    a2enmod rewrite headers && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /var/www/html
COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --no-interaction --prefer-dist --optimize-autoloader
COPY . .
USER 33
EXPOSE 8080
CMD ["apache2-foreground"]
