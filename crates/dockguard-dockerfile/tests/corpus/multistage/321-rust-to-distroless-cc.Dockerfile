# syntax=docker/dockerfile:1
FROM rust:1.79.0-bookworm AS build
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/src/app/target \
    cargo build --release --locked \
    && cp target/release/app /usr/local/bin/app

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/app /usr/local/bin/app
USER 65532
ENTRYPOINT ["/usr/local/bin/app"]
