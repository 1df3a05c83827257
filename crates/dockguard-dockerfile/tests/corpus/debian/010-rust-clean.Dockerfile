# Rust service (single stage): ledger
FROM rust:1.79.0-slim-bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends pkg-config=1.8.1-1 libssl-dev=3.0.15-1~deb12u1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 10002 app && useradd --system --uid 10002 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked \
    && install -m 0755 target/release/app /usr/local/bin/app \
    && rm -rf target
USER 10002
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
