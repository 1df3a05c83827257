FROM nginx:1.27.0-bookworm
COPY conf.d/*.conf /etc/nginx/conf.d
COPY ["snippets/gzip.conf", "snippets/security-headers.conf", "/etc/nginx/snippets/"]
COPY public/ /usr/share/nginx/html/
USER 101
