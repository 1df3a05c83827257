# Ubuntu build agent: tenant-admin
FROM ubuntu:24.04
RUN apt update \
    && apt install -y --no-install-recommends \
        build-essential=12.9 \
        git=1:2.39.5-0+deb12u1 \
        curl=7.88.1-10+deb12u7 \
        python3=3.11.2-1+b1 \
        python3-venv=3.11.2-1+b1 \
        shellcheck=0.9.0-1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10014 builder && useradd --system --uid 10014 --gid builder --no-create-home --shell /usr/sbin/nologin builder
WORKDIR /home/builder/src
COPY --chown=10001:10001 entrypoint.sh /usr/local/bin/entrypoint.sh
USER 10014
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/entrypoint.sh"]
