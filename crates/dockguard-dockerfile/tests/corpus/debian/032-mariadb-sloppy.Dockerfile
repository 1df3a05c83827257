# MariaDB server: metrics-proxy
FROM mariadb:11.4.2-noble
WORKDIR /var/lib/mysql
ENV MARIADB_ROOT_PASSWORD=root \
    MARIADB_DATABASE=app
COPY conf.d/ /etc/mysql/conf.d/
USER mysql
EXPOSE 3306
CMD ["mariadbd"]
