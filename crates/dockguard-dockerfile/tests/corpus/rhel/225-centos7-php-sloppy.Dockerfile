# Legacy PHP app on CentOS 7: checkout
FROM centos:7.9.2009
RUN yum install -y httpd php php-pgsql \
    && yum clean all
WORKDIR /var/www/html
ADD site/ /var/www/html/
EXPOSE 8080
CMD ["httpd", "-DFOREGROUND"]
