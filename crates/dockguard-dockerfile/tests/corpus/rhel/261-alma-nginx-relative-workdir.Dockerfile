# nginx on AlmaLinux: pricing
FROM almalinux:9.4-20240530
RUN dnf install -y --nodocs nginx-1.24.0 \
    && dnf clean all
WORKDIR usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
USER 998
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["nginx", "-g", "daemon off;"]
