# Static files on busybox httpd: audit-log
FROM busybox:1.36.1-musl
WORKDIR /www
COPY public/ /www/
USER 65534
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8080/"]
CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
