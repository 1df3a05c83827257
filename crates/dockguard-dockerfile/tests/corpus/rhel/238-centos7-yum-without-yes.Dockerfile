# Legacy PHP app on CentOS 7: shipping
FROM centos:7.9.2009
LABEL org.opencontainers.image.title="shipping" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/shipping"
RUN yum install httpd-2.4.57 php-8.2.13 php-pgsql-8.2.13 && \
    yum clean all
WORKDIR /var/www/html
COPY site/ /var/www/html/
USER 48
EXPOSE 8080
CMD ["httpd", "-DFOREGROUND"]
