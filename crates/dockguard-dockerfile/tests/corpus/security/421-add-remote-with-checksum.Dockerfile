# syntax=docker/dockerfile:1.7
FROM debian:12.6-slim
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c --chmod=755 \
    https://downloads.example.com/tini/v0.19.0/tini-amd64 /usr/local/bin/tini
COPY bin/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/tini", "--", "/usr/local/bin/app"]
