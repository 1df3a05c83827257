FROM --platform=$BUILDPLATFORM golang:1.22.4-bookworm AS build-amd64
WORKDIR /src
COPY . .
RUN GOARCH=amd64 go build -o /out/app-amd64 .

FROM --platform=$BUILDPLATFORM golang:1.22.4-bookworm AS build-arm64
WORKDIR /src
COPY . .
RUN GOARCH=arm64 go build -o /out/app-arm64 .

FROM alpine:3.20.1
COPY --from=build-amd64 /out/app-amd64 /usr/local/bin/
COPY --from=build-arm64 /out/app-arm64 /usr/local/bin/
USER 10001
