# Rust service (single stage): pricing
FROM rust:1.79.0-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY . /src
RUN cd /src && cargo build --release && cp target/release/app /usr/local/bin/
EXPOSE 8080
CMD ["/usr/local/bin/app"]
