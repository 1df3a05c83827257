# Go tool image on Alpine: orders-api
FROM golang:1.22.4-alpine3.20
LABEL org.opencontainers.image.title="orders-api" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/orders-api"
RUN apk add --no-cache git=2.45.2-r0 ca-certificates=20240705-r0 \
    && addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app
WORKDIR src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
