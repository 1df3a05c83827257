# Legacy all-in-one LAMP image for the sales demo environment
FROM debian:12.6
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        apache2=2.4.61-1~deb12u1 \
        mariadb-server=1:10.11.6-0+deb12u1 \
        php8.2=8.2.20-1~deb12u1 \
        libapache2-mod-php8.2=8.2.20-1~deb12u1 \
        php8.2-mysql=8.2.20-1~deb12u1 \
    && rm -rf /var/lib/apt/lists/*
COPY schema.sql /tmp/schema.sql
RUN service mariadb start \
    && mysql -uroot < /tmp/schema.sql \
    && rm /tmp/schema.sql
COPY site/ /var/www/html/
EXPOSE 80
CMD ["apache2ctl", "-D", "FOREGROUND"]
