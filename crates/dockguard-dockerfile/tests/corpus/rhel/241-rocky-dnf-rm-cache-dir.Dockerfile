# Apache httpd on Rocky Linux: scheduler
FROM rockylinux:9.3.20231119
LABEL org.opencontainers.image.title="scheduler" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/scheduler"
RUN dnf install -y --nodocs httpd-2.4.57 httpd-tools-2.4.57 \
    && rm -rf /var/cache/dnf
WORKDIR /var/www/html
COPY public/ /var/www/html/
USER 48
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["httpd", "-DFOREGROUND"]
