# Nightly pg_dump job
FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15=15.8-0+deb12u1 ca-certificates=20230311 gnupg=2.2.40-1.1 \
    && rm -rf /var/lib/apt/lists/*
RUN psql --version && pg_dump --version
COPY backup.sh /usr/local/bin/backup.sh
USER 10001
ENTRYPOINT ["/usr/local/bin/backup.sh"]
