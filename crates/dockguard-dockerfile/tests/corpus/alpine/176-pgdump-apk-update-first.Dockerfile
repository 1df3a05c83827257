# Postgres backup job: shipping
FROM alpine:3.20.1
LABEL org.opencontainers.image.title="shipping" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/shipping"
RUN apk update && \
    apk add postgresql16-client=16.4-r0 tzdata=2024b-r0 aws-cli=2.15.57-r0 && \
    addgroup -S -g 999 app && adduser -S -D -H -u 999 -G app app
WORKDIR /backup
COPY backup.sh /usr/local/bin/backup.sh
USER 999
EXPOSE 8080
CMD ["/usr/local/bin/backup.sh"]
