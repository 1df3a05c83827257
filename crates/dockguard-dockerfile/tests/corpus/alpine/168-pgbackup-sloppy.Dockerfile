# Postgres backup job: shipping
FROM alpine:3.20.1
RUN apk add --no-cache postgresql16-client tzdata aws-cli && \
    addgroup -S -g 999 app && adduser -S -D -H -u 999 -G app app
WORKDIR /backup
ADD backup.sh /usr/local/bin/backup.sh
USER app
EXPOSE 8080
CMD ["/usr/local/bin/backup.sh"]
