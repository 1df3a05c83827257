# Go service (single stage): checkout
FROM golang:1.22.4-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go install github.com/air-verse/air \
    && go build -o /usr/local/bin/app ./cmd/app
EXPOSE 8080
CMD ["/usr/local/bin/app"]
