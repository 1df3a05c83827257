FROM golang:1.22.4-alpine3.20 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/api ./cmd/api

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=builder /bin/api /api
USER nonroot:nonroot
ENTRYPOINT ["/api"]
