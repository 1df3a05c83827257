# nginx + php-fpm + cron in one container, managed by supervisord
FROM php:8.3.8-fpm-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends supervisor=4.2.5-1 cron=3.0pl1-162 gettext-base=0.21-12 \
    && rm -rf /var/lib/apt/lists/*
COPY supervisord.conf /etc/supervisor/conf.d/app.conf
COPY crontab /etc/cron.d/app
RUN chmod 0644 /etc/cron.d/app && crontab /etc/cron.d/app
WORKDIR /var/www/html
COPY . .
EXPOSE 8080
CMD ["supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]
