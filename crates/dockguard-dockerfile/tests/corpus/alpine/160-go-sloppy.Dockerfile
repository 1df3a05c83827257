# Go tool image on Alpine: webhooks
FROM golang:1.22.4-alpine3.20
RUN apk add --no-cache git ca-certificates && \
    addgroup -S -g 999 app && adduser -S -D -H -u 999 -G app app
WORKDIR /src
COPY . .
RUN go install github.com/go-delve/delve/cmd/dlv@latest \
    && go build -gcflags="all=-N -l" -o /usr/local/bin/app ./cmd/app
USER app
EXPOSE 8080
CMD ["/usr/local/bin/app"]
