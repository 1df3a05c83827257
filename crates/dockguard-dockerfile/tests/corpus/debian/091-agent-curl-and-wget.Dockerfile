# Ubuntu build agent: metrics-proxy
FROM ubuntu:24.04
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        build-essential=12.9 \
        git=1:2.39.5-0+deb12u1 \
        curl=7.88.1-10+deb12u7 \
        python3=3.11.2-1+b1 \
        python3-venv=3.11.2-1+b1 \
        shellcheck=0.9.0-1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 65532 builder && useradd --system --uid 65532 --gid builder --no-create-home --shell /usr/sbin/nologin builder
ARG TOOL_VERSION=3.15.2
RUN curl -fsSLo /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" && \
    tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool && \
    wget -q -O /usr/local/share/tool.sig "https://downloads.example.com/tools/v${TOOL_VERSION}/tool.sig" && \
    rm -f /tmp/tool.tar.gz
WORKDIR /home/builder/src
COPY --chown=10001:10001 entrypoint.sh /usr/local/bin/entrypoint.sh
USER 65532
EXPOSE 8080
CMD ["/usr/local/bin/entrypoint.sh"]
