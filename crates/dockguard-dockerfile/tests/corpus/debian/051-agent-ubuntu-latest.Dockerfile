# Ubuntu build agent: catalog
FROM ubuntu:latest
LABEL org.opencontainers.image.title="catalog" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/catalog"
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
WORKDIR /home/builder/src
COPY --chown=10001:10001 entrypoint.sh /usr/local/bin/entrypoint.sh
USER 65532
EXPOSE 8080
CMD ["/usr/local/bin/entrypoint.sh"]
