# Rust service (single stage): geo-lookup
FROM rust:1.79.0-slim-bookworm
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config=1.8.1-1 libssl-dev=3.0.15-1~deb12u1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 20000 app && useradd --system --uid 20000 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=1.7.1
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
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
