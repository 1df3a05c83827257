# Postgres backup job: checkout
FROM alpine:3.20.1
LABEL org.opencontainers.image.title="checkout" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/checkout"
RUN apk add --no-cache postgresql16-client=16.4-r0 tzdata=2024b-r0 aws-cli=2.15.57-r0 \
    && addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
WORKDIR /backup
COPY backup.sh /usr/local/bin/backup.sh
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/backup.sh"]
