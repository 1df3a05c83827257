# hadolint global ignore=DL3059
FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /usr/local/bin/yq https://downloads.example.com/yq/v4.44.2/yq_linux_amd64
RUN chmod 0755 /usr/local/bin/yq
USER 10001
CMD ["yq", "--version"]
