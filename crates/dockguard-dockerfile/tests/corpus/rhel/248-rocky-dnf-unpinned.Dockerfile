# Apache httpd on Rocky Linux: billing
FROM rockylinux:9.3.20231119
RUN dnf install -y --nodocs httpd httpd-tools && \
    dnf clean all
WORKDIR /var/www/html
COPY public/ /var/www/html/
USER 48
EXPOSE 8080
CMD ["httpd", "-DFOREGROUND"]
