# HTTP probe utility: metrics-proxy
FROM alpine
RUN apk add --no-cache curl=8.9.1-r2 jq=1.7.1-r0 ca-certificates=20240705-r0 && \
    addgroup -S -g 65532 app && adduser -S -D -H -u 65532 -G app app
WORKDIR /probe
COPY probe.sh /usr/local/bin/probe.sh
USER 65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/probe.sh"]
CMD ["--help"]
