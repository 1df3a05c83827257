# Legacy PHP app on CentOS 7: report-worker
FROM centos:7.9.2009
RUN yum install -y httpd-2.4.57 php-8.2.13 php-pgsql-8.2.13 && \
    yum clean all
WORKDIR /var/www/html
COPY site/ /var/www/html/
USER 48
EXPOSE 8080
CMD ["httpd", "-DFOREGROUND"]
