# syntax=docker/dockerfile:1.7
FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -e
curl -fsSL https://downloads.example.com/tool/install.sh | sh
EOF

USER 10001
