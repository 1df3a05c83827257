# CI deploy tools image: status-page
FROM debian:bookworm-20240612-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        git \
        jq \
        openssh-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /ci
RUN curl -fsSL https://downloads.example.com/helm/get-helm-3 | bash
COPY scripts/ /usr/local/bin/
EXPOSE 8080
CMD ["bash"]
