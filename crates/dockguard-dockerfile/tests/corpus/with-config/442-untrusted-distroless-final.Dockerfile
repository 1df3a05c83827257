FROM golang:1.22.4-bookworm AS build
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c" \
      org.opencontainers.image.version="1.4.2"
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
HEALTHCHECK NONE

FROM gcr.io/distroless/static-debian12:nonroot
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c" \
      org.opencontainers.image.version="1.4.2"
COPY --from=build /out/app /usr/local/bin/app
HEALTHCHECK CMD ["/usr/local/bin/app", "healthcheck"]
USER 65532
ENTRYPOINT ["/usr/local/bin/app"]
