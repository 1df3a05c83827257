# The 'tools' stage is neither the last stage nor a parent stage: hadolint skips it.
FROM debian:12.6 AS tools
RUN apt-get update && apt-get install -y --no-install-recommends shellcheck=0.9.0-1

FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/ /usr/local/bin/
USER 10001
