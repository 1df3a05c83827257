# nginx on openSUSE Leap: media-resizer
FROM opensuse/leap:15.6
RUN zypper refresh && \
    zypper install --no-recommends nginx=1.21.5 shadow=4.8.1 && \
    zypper clean --all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /srv/www/htdocs
COPY nginx.conf /etc/nginx/nginx.conf
USER 65532
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
