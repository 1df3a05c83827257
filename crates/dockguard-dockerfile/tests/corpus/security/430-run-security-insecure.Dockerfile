# syntax=docker/dockerfile:1-labs
FROM debian:12.6
RUN apt-get update \
    && apt-get install -y --no-install-recommends net-tools=2.10-0.1 \
    && rm -rf /var/lib/apt/lists/*
RUN --security=insecure ip link add dummy0 type dummy && ip link delete dummy0
USER 10001
