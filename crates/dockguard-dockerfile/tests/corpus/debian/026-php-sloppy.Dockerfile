# PHP application on Apache: audit-log
FROM php:8.3.8-apache-bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends libpq-dev libzip-dev unzip && \
    docker-php-ext-install -j"$(nproc)" pdo_pgsql zip opcache && \
    a2enmod rewrite headers && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /var/www/html
RUN curl -sS https://downloads.example.com/composer/installer | php -- --install-dir=/usr/local/bin --filename=composer
COPY . .
RUN composer install --no-dev
USER www-data
EXPOSE 8080
CMD ["apache2-foreground"]
