# MariaDB server: webhooks
FROM mariadb:11.4.2-noble
LABEL maintainer="platform@example.com"
WORKDIR /var/lib/mysql
COPY conf.d/ /etc/mysql/conf.d/
USER 999
EXPOSE 3306
CMD ["mariadbd"]
