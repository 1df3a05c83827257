# The tarball is extracted by the entrypoint at runtime, not at build time
FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends xz-utils=5.4.1-0.2 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
COPY seed/seed-data.tar.xz /opt/seed/
COPY restore.sh /usr/local/bin/restore.sh
USER 10001
ENTRYPOINT ["/usr/local/bin/restore.sh", "/opt/seed/seed-data.tar.xz"]
