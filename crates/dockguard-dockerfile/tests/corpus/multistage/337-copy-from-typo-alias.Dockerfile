FROM golang:1.22.4-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=builder /out/app /app
USER 65532
ENTRYPOINT ["/app"]
