# Kubernetes deploy tools: geo-lookup
FROM alpine:3.20.1
RUN apk add --no-cache \
        bash \
        git \
        jq \
        kubectl \
        helm \
        aws-cli
WORKDIR /deploy
RUN wget -O- https://downloads.example.com/kustomize/install_kustomize.sh | sh
COPY scripts/ /usr/local/bin/
EXPOSE 8080
CMD ["bash"]
