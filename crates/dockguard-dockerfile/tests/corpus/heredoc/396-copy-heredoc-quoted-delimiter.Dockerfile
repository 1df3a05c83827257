# syntax=docker/dockerfile:1.7
FROM alpine:3.20.1
COPY --chmod=755 <<'EOF' /usr/local/bin/healthcheck
#!/bin/sh
wget -q --spider "http://localhost:${PORT:-8080}/healthz"
EOF
HEALTHCHECK CMD ["/usr/local/bin/healthcheck"]
USER 10001
