# syntax=docker/dockerfile:1.7
FROM nginx:1.27.0-alpine3.19
COPY <<EOF /etc/nginx/conf.d/default.conf
server { listen 8080; root /usr/share/nginx/html; }
EOF
COPY dist/ /usr/share/nginx/html/
USER 101
