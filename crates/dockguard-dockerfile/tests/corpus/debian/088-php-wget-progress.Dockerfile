# PHP application on Apache: feature-flags
FROM php:8.3.8-apache-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev=15.8-0+deb12u1 libzip-dev=1.7.3-1+b1 unzip=6.0-28 \
    && docker-php-ext-install -j"$(nproc)" pdo_pgsql zip opcache \
    && a2enmod rewrite headers \
    && rm -rf /var/lib/apt/lists/*
ARG TOOL_VERSION=1.30.2
RUN wget --progress=dot:giga -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" \
    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool \
    && rm -f /tmp/tool.tar.gz
WORKDIR /var/www/html
COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --no-interaction --prefer-dist --optimize-autoloader
COPY . .
USER 33
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["apache2-foreground"]
