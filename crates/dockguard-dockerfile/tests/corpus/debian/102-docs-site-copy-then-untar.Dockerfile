FROM nginx:1.27.0-bookworm
COPY build/site.tar.gz /tmp/site.tar.gz
RUN mkdir -p /usr/share/nginx/html/docs \
    && tar -xf /tmp/site.tar.gz -C /usr/share/nginx/html/docs \
    && rm -f /tmp/site.tar.gz
USER 101
EXPOSE 8080
