# PHP-FPM on openSUSE Leap: scheduler
FROM opensuse/leap:15.6
LABEL org.opencontainers.image.title="scheduler" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/scheduler"
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends php8=8.2.20 php8-fpm=8.2.20 shadow=4.8.1 \
    && zypper cc -a \
    && useradd --system --uid 1001 --user-group --no-create-home app
WORKDIR /srv/www/app
COPY src/ /srv/www/app/
USER 1001
EXPOSE 9000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:9000/healthz"]
CMD ["php-fpm", "--nodaemonize"]
