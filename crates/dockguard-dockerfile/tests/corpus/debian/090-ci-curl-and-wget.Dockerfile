# CI deploy tools image: scheduler
FROM debian:bookworm-20240612-slim
LABEL org.opencontainers.image.title="scheduler" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/scheduler"
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates=20230311 \
        curl=7.88.1-10+deb12u7 \
        git=1:2.39.5-0+deb12u1 \
        jq=1.6-2.1 \
        openssh-client=1:9.2p1-2+deb12u3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=0.21.4
RUN curl -fsSLo /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" \
    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool \
    && wget -q -O /usr/local/share/tool.sig "https://downloads.example.com/tools/v${TOOL_VERSION}/tool.sig" \
    && rm -f /tmp/tool.tar.gz
WORKDIR /ci
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG KUBECTL_VERSION=v1.30.2
ARG HELM_VERSION=v3.15.2
RUN curl -fsSLo /usr/local/bin/kubectl "https://downloads.example.com/kubernetes/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
    && chmod 0755 /usr/local/bin/kubectl \
    && curl -fsSL "https://downloads.example.com/helm/helm-${HELM_VERSION}-linux-amd64.tar.gz" \
       | tar -xz -C /usr/local/bin --strip-components=1 linux-amd64/helm
COPY scripts/ /usr/local/bin/
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["kubectl", "version", "--client"]
CMD ["bash"]
