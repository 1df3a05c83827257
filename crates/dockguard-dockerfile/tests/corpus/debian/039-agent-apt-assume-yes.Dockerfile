# Ubuntu build agent: shipping
FROM ubuntu:24.04
LABEL org.opencontainers.image.title="shipping" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/shipping"
RUN apt-get update && \
    apt-get install --assume-yes --no-install-recommends \
        build-essential=12.9 \
        git=1:2.39.5-0+deb12u1 \
        curl=7.88.1-10+deb12u7 \
        python3=3.11.2-1+b1 \
        python3-venv=3.11.2-1+b1 \
        shellcheck=0.9.0-1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 999 builder && useradd --system --uid 999 --gid builder --no-create-home --shell /usr/sbin/nologin builder
WORKDIR /home/builder/src
COPY --chown=10001:10001 entrypoint.sh /usr/local/bin/entrypoint.sh
USER 999
EXPOSE 8080
CMD ["/usr/local/bin/entrypoint.sh"]
