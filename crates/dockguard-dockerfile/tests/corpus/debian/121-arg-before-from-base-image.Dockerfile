# syntax=docker/dockerfile:1
# Base image can be swapped for the FIPS variant in CI.
ARG BASE_IMAGE=debian:12.6-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 openssl=3.0.15-1~deb12u1 \
    && rm -rf /var/lib/apt/lists/*
USER 10001
CMD ["openssl", "version"]
