FROM rust:1.79.0-alpine3.20 AS build
RUN apk add --no-cache musl-dev=1.2.5-r0
WORKDIR /src
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl

FROM scratch
COPY --from=build /src/target/x86_64-unknown-linux-musl/release/app /app
USER 10001
ENTRYPOINT ["/app"]
