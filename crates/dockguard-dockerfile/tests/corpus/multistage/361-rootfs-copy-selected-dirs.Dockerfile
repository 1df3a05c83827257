FROM alpine:3.20.1 AS rootfs
RUN apk add --no-cache ca-certificates=20240705-r0 tzdata=2024b-r0

FROM scratch
COPY --from=rootfs /etc/ssl/certs/ /etc/ssl/certs/
COPY --from=rootfs /usr/share/zoneinfo/ /usr/share/zoneinfo/
COPY bin/app /app
USER 10001
ENTRYPOINT ["/app"]
