FROM alpine:3.20.1
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="search" \
      org.opencontainers.image.source="git.example.com/acme/search" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c" \
      org.opencontainers.image.version="1.4.2"
COPY bin/app /usr/local/bin/app
HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "healthcheck"]
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
