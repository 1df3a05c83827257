FROM golang:1.22.4-bookworm AS build
WORKDIR /src
COPY . .
RUN GOARCH=arm64 go build -o /out/app .

FROM --platform=linux/arm64 gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER 65532
ENTRYPOINT ["/app"]
