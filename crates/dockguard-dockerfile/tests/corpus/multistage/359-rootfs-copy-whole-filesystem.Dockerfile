FROM alpine:3.20.1 AS rootfs
RUN apk add --no-cache ca-certificates=20240705-r0 tzdata=2024b-r0 \
    && adduser -D -H -u 10001 app

FROM scratch
COPY --from=rootfs / /
COPY bin/app /app
USER 10001
ENTRYPOINT ["/app"]
