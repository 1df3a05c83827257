FROM --platform=${TARGETPLATFORM} alpine:3.20.1
RUN apk add --no-cache ca-certificates=20240705-r0
COPY bin/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
