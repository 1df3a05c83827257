# MariaDB server: pricing
FROM mariadb:11.4.2-noble
LABEL org.opencontainers.image.title="pricing" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/pricing"
WORKDIR /var/lib/mysql
COPY conf.d/ /etc/mysql/conf.d/
USER 999
EXPOSE 3306
CMD ["mariadbd"]
