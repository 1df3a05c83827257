FROM --platform=${BUILDPLATFORM} tonistiigi/xx:1.4.0 AS xx
FROM --platform=${BUILDPLATFORM} rust:1.79.0-bookworm AS build
COPY --from=xx / /
ARG TARGETPLATFORM
WORKDIR /src
COPY . .
RUN xx-cargo build --release && xx-verify target/*/release/app

FROM debian:12.6-slim
COPY --from=build /src/target/release/app /usr/local/bin/app
USER 10001
