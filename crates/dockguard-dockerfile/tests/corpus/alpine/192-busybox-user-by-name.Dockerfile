# Static files on busybox httpd: webhooks
FROM busybox:1.36.1-musl
WORKDIR /www
COPY public/ /www/
USER nobody
EXPOSE 8080
CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
