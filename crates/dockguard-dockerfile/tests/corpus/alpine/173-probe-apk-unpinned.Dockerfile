# HTTP probe utility: geo-lookup
FROM alpine:3.20.1
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
RUN apk add --no-cache curl jq ca-certificates \
    && addgroup -S -g 20000 app && adduser -S -D -H -u 20000 -G app app
WORKDIR /probe
COPY probe.sh /usr/local/bin/probe.sh
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/probe.sh"]
CMD ["--help"]
