# syntax=docker/dockerfile:1.7
FROM golang:1.22.4-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod <<EOF
set -e
go mod download
CGO_ENABLED=0 go build -o /out/app ./cmd/app
EOF

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
COPY <<EOF /etc/app/config.yaml
listen: :8080
log_level: info
EOF
USER 65532
ENTRYPOINT ["/app"]
