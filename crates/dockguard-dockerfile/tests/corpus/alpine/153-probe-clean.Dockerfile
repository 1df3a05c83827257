# HTTP probe utility: ledger
FROM alpine:3.20.1
RUN apk add --no-cache curl=8.9.1-r2 jq=1.7.1-r0 ca-certificates=20240705-r0 && \
    addgroup -S -g 10002 app && adduser -S -D -H -u 10002 -G app app
WORKDIR /probe
COPY probe.sh /usr/local/bin/probe.sh
USER 10002
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/probe.sh"]
CMD ["--help"]
