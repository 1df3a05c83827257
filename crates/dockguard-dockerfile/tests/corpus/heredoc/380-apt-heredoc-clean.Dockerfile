# syntax=docker/dockerfile:1.7
FROM debian:12.6-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u7
rm -rf /var/lib/apt/lists/*
EOF

COPY bin/app /usr/local/bin/app
USER 10001
CMD ["/usr/local/bin/app"]
