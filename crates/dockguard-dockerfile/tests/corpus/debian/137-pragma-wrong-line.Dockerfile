FROM debian:12.6-slim
# hadolint ignore=DL3008
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER 10001
CMD ["curl", "--version"]
