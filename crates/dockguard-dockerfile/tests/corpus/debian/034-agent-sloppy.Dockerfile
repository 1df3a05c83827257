# Ubuntu build agent: user-profile
FROM ubuntu:24.04
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        build-essential \
        git \
        curl \
        python3 \
        python3-venv \
        shellcheck && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 1000 builder && useradd --system --uid 1000 --gid builder --no-create-home --shell /usr/sbin/nologin builder
WORKDIR /home/builder/src
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
RUN sudo chmod 0755 /usr/local/bin/entrypoint.sh
USER builder
EXPOSE 8080
CMD ["/usr/local/bin/entrypoint.sh"]
