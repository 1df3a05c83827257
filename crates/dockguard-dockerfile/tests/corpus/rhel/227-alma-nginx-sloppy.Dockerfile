# nginx on AlmaLinux: geo-lookup
FROM almalinux:9.4-20240530
RUN dnf install -y --nodocs nginx \
    && dnf clean all
WORKDIR /usr/share/nginx/html
ADD nginx.conf /etc/nginx/nginx.conf
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
