ARG GIT_COMMIT
FROM alpine:3.20.1
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="user-profile" \
      org.opencontainers.image.source="https://git.example.com/acme/user-profile" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${GIT_COMMIT}" \
      org.opencontainers.image.version="1.4.2"
COPY bin/app /usr/local/bin/app
HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "healthcheck"]
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
