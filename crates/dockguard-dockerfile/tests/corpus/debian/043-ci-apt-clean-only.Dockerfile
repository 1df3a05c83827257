# CI deploy tools image: metrics-proxy
FROM debian:bookworm-20240612-slim
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        ca-certificates=20230311 \
        curl=7.88.1-10+deb12u7 \
        git=1:2.39.5-0+deb12u1 \
        jq=1.6-2.1 \
        openssh-client=1:9.2p1-2+deb12u3 && \
    apt-get clean && \
    groupadd --system --gid 65532 app && useradd --system --uid 65532 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /ci
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG KUBECTL_VERSION=v1.30.2
ARG HELM_VERSION=v3.15.2
RUN curl -fsSLo /usr/local/bin/kubectl "https://downloads.example.com/kubernetes/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
    && chmod 0755 /usr/local/bin/kubectl \
    && curl -fsSL "https://downloads.example.com/helm/helm-${HELM_VERSION}-linux-amd64.tar.gz" \
       | tar -xz -C /usr/local/bin --strip-components=1 linux-amd64/helm
COPY scripts/ /usr/local/bin/
USER 65532
EXPOSE 8080
CMD ["bash"]
