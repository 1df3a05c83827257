# Apache httpd on Rocky Linux: media-resizer
FROM rockylinux:9.3.20231119
RUN dnf install -y --nodocs httpd httpd-tools && \
    dnf clean all
WORKDIR /var/www/html
ADD public/ /var/www/html/
USER apache
EXPOSE 8080
CMD ["httpd", "-DFOREGROUND"]
