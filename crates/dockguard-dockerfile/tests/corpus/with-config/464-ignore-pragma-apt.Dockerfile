FROM debian:12.6-slim
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="backup" \
      org.opencontainers.image.source="https://git.example.com/acme/backup" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c" \
      org.opencontainers.image.version="1.4.2"
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY bin/app /usr/local/bin/app
HEALTHCHECK CMD ["/usr/local/bin/app", "healthcheck"]
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
