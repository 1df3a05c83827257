# Static files on busybox httpd: scheduler
FROM busybox:1.36.1-musl
WORKDIR /www
ADD public/ /www/
EXPOSE 8080
CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
