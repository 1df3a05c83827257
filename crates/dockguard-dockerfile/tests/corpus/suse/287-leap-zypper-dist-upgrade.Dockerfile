# nginx on openSUSE Leap: status-page
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh \
    && zypper -n dist-upgrade \
    && zypper -n install --no-recommends nginx=1.21.5 shadow=4.8.1 \
    && zypper clean --all \
    && useradd --system --uid 20000 --user-group --no-create-home app
WORKDIR /srv/www/htdocs
COPY nginx.conf /etc/nginx/nginx.conf
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["nginx", "-g", "daemon off;"]
