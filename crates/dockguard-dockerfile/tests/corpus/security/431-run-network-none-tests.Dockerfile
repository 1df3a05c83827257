# syntax=docker/dockerfile:1
FROM golang:1.22.4-bookworm
WORKDIR /src
COPY . .
RUN go mod download
RUN --network=none go test ./...
USER 10001
