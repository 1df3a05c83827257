# syntax=docker/dockerfile:1.7
FROM debian:12.6-slim
RUN <<EOF
#!/usr/bin/env bash
set -euo pipefail
mkdir -p /srv/app
EOF
WORKDIR /srv/app
USER 10001
