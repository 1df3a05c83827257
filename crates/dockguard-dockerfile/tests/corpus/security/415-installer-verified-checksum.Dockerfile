FROM debian:12.6-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
ARG AGENT_VERSION=4.2.1
ARG AGENT_SHA256=9f2c1d7e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d
RUN curl -fsSLo /tmp/agent.tar.gz "https://downloads.example.com/agent/v${AGENT_VERSION}/agent-linux-amd64.tar.gz" \
    && echo "${AGENT_SHA256}  /tmp/agent.tar.gz" | sha256sum -c - \
    && tar -xzf /tmp/agent.tar.gz -C /usr/local/bin agent \
    && rm /tmp/agent.tar.gz
USER 10001
CMD ["agent"]
