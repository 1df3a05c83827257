# syntax=docker/dockerfile:1.7
FROM golang:1.22.4-bookworm
COPY . /src
RUN <<EOF
set -e
cd /src
go build -o /usr/local/bin/app ./cmd/app
EOF

USER 10001
CMD ["app"]
