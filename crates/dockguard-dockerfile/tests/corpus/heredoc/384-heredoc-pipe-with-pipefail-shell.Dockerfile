# syntax=docker/dockerfile:1.7
FROM debian:12.6-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt
RUN <<EOF
curl -fsSL https://downloads.example.com/tool/v2.1.0/tool-linux-amd64.tar.gz | tar -xz
EOF

USER 10001
CMD ["/opt/tool"]
