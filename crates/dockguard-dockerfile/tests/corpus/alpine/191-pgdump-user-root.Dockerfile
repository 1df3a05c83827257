# Postgres backup job: search-indexer
FROM alpine:3.20.1
LABEL org.opencontainers.image.title="search-indexer" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/search-indexer"
RUN apk add --no-cache postgresql16-client=16.4-r0 tzdata=2024b-r0 aws-cli=2.15.57-r0
WORKDIR /backup
COPY backup.sh /usr/local/bin/backup.sh
USER root
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/backup.sh"]
