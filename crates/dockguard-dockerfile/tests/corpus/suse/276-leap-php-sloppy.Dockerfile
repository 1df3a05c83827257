# PHP-FPM on openSUSE Leap: media-resizer
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends php8 php8-fpm shadow && \
    zypper clean --all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /srv/www/app
ADD src/ /srv/www/app/
USER app
EXPOSE 9000
CMD ["php-fpm", "--nodaemonize"]
