# Go tool image on Alpine: geo-lookup
FROM golang:1.22.4-alpine3.20
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN apk add --no-cache git=2.45.2-r0 ca-certificates=20240705-r0 \
    && addgroup -S -g 20000 app && adduser -S -D -H -u 20000 -G app app
ARG TOOL_VERSION=0.21.4
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
