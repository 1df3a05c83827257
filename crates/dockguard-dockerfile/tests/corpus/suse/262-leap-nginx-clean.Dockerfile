# nginx on openSUSE Leap: orders-api
FROM opensuse/leap:15.6
LABEL org.opencontainers.image.title="orders-api" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/orders-api"
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends nginx=1.21.5 shadow=4.8.1 \
    && zypper clean --all \
    && useradd --system --uid 10001 --user-group --no-create-home app
WORKDIR /srv/www/htdocs
COPY nginx.conf /etc/nginx/nginx.conf
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["nginx", "-g", "daemon off;"]
