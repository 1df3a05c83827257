# Kubernetes deploy tools: status-page
FROM alpine:3.20.1
RUN apk add --no-cache \
        bash=5.2.26-r0 \
        git=2.45.2-r0 \
        jq=1.7.1-r0 \
        kubectl=1.30.3-r1 \
        helm=3.15.2-r1 \
        aws-cli=2.15.57-r0 \
    && addgroup -S -g 20000 app && adduser -S -D -H -u 20000 -G app app
WORKDIR /deploy
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
ARG KUSTOMIZE_VERSION=5.4.2
RUN wget -qO- "https://downloads.example.com/kustomize/v${KUSTOMIZE_VERSION}/kustomize_linux_amd64.tar.gz" \
    | tar -xz -C /usr/local/bin kustomize
COPY scripts/ /usr/local/bin/
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["kubectl", "version", "--client"]
CMD ["bash"]
CMD ["bash", "--verbose"]
