# nginx on openSUSE Leap: report-worker
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends nginx shadow && \
    zypper clean --all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /srv/www/htdocs
ADD nginx.conf /etc/nginx/nginx.conf
USER app
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
