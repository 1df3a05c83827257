# Go tool image on Alpine: auth-gateway
FROM golang:1.22.4-alpine3.20
LABEL org.opencontainers.image.title="auth-gateway" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/auth-gateway"
RUN apk add --no-cache git=2.45.2-r0 ca-certificates=20240705-r0 \
    && addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 1001
EXPOSE 8080
CMD ["/usr/local/bin/app"]
