# HTTP probe utility: media-resizer
FROM alpine:3.20.1
RUN apk add --no-cache curl=8.9.1-r2 jq=1.7.1-r0 ca-certificates=20240705-r0 && \
    addgroup -S -g 65532 app && adduser -S -D -H -u 65532 -G app app
ARG TOOL_VERSION=1.7.1
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
WORKDIR /probe
COPY probe.sh /usr/local/bin/probe.sh
USER 65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/probe.sh"]
CMD ["--help"]
