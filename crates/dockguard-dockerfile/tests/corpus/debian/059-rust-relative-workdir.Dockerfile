# Rust service (single stage): media-resizer
FROM rust:1.79.0-slim-bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends pkg-config=1.8.1-1 libssl-dev=3.0.15-1~deb12u1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 65532 app && useradd --system --uid 65532 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked \
    && install -m 0755 target/release/app /usr/local/bin/app \
    && rm -rf target
USER 65532
EXPOSE 8080
CMD ["/usr/local/bin/app"]
