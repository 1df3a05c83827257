# nginx on AlmaLinux: mailer
FROM almalinux:9.4-20240530
RUN dnf install -y --nodocs nginx-1.24.0
WORKDIR /usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
USER 998
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
