# syntax=docker/dockerfile:1.7
FROM nginx:1.27.0-bookworm
RUN cat <<EOF > /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    root /usr/share/nginx/html;
    location /healthz { return 200; }
}
EOF

COPY dist/ /usr/share/nginx/html/
USER 101
