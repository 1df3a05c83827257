FROM debian:12.6-slim
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 gosu=1.14-1+b6 \
    && rm -rf /var/lib/apt/lists/*
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER 10001
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
