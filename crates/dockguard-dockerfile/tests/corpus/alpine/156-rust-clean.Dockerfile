# Rust service on Alpine (single stage): geo-lookup
FROM rust:1.79.0-alpine3.20
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
RUN apk add --no-cache musl-dev=1.2.5-r0 \
    && addgroup -S -g 20000 app && adduser -S -D -H -u 20000 -G app app
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked \
    && install -m 0755 target/release/app /usr/local/bin/app \
    && rm -rf target
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
