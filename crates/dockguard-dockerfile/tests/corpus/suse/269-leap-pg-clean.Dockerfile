# PostgreSQL client tools on Leap: webhooks
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends postgresql16=16.3 gzip=1.12 shadow=4.8.1 && \
    zypper clean --all && \
    useradd --system --uid 999 --user-group --no-create-home app
WORKDIR /backup
COPY backup.sh /usr/local/bin/backup.sh
USER 999
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/backup.sh"]
