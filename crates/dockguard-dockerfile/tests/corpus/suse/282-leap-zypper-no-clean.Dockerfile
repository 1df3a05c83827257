# PostgreSQL client tools on Leap: shipping
FROM opensuse/leap:15.6
LABEL org.opencontainers.image.title="shipping" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/shipping"
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends postgresql16=16.3 gzip=1.12 shadow=4.8.1 && \
    useradd --system --uid 999 --user-group --no-create-home app
WORKDIR /backup
COPY backup.sh /usr/local/bin/backup.sh
USER 999
EXPOSE 8080
CMD ["/usr/local/bin/backup.sh"]
