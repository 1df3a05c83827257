FROM debian:12.6-slim
# Security updates must always win here, so packages are not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
USER 10001
CMD ["curl", "--version"]
