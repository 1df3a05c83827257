# PHP-FPM on openSUSE Leap: user-profile
FROM opensuse/leap:15.6
LABEL org.opencontainers.image.title="user-profile" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/user-profile"
RUN zypper --non-interactive refresh && \
    zypper -n update && \
    zypper -n install --no-recommends php8=8.2.20 php8-fpm=8.2.20 shadow=4.8.1 && \
    zypper clean --all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /srv/www/app
COPY src/ /srv/www/app/
USER 1000
EXPOSE 9000
CMD ["php-fpm", "--nodaemonize"]
