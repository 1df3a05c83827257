FROM golang:1.22.4-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/api ./cmd/api

FROM node:20.14.0-bookworm-slim AS build
WORKDIR /ui
COPY ui/ .
RUN npm ci && npm run build

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/api /api
USER 65532
ENTRYPOINT ["/api"]
