# Static files on busybox httpd: metrics-proxy
FROM busybox:1.36.1-musl
WORKDIR /www
COPY public/ /www/
USER 65534
EXPOSE 80800
CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
