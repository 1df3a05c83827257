# HTTP probe utility: feature-flags
FROM alpine:3.20.1
RUN apk add --no-cache curl=8.9.1-r2 jq=1.7.1-r0 ca-certificates=20240705-r0 \
    && addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app
ARG TOOL_VERSION=1.7.1
RUN curl -fsSLo /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" \
    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool \
    && wget -q -O /usr/local/share/tool.sig "https://downloads.example.com/tools/v${TOOL_VERSION}/tool.sig" \
    && rm -f /tmp/tool.tar.gz
WORKDIR /probe
COPY probe.sh /usr/local/bin/probe.sh
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/probe.sh"]
CMD ["--help"]
