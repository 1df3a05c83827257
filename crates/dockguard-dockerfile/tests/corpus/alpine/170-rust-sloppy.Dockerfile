# Rust service on Alpine (single stage): mailer
FROM rust:1.79.0-alpine3.20
RUN apk add --no-cache musl-dev && \
    addgroup -S -g 10002 app && adduser -S -D -H -u 10002 -G app app
WORKDIR /usr/src/app
COPY . /src
RUN cd /src && cargo build --release && cp target/release/app /usr/local/bin/
USER app
EXPOSE 8080
CMD ["/usr/local/bin/app"]
