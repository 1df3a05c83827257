FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 tini=0.19.0-1 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd -r -u 1000680000 -g 0 -d /srv/app -s /sbin/nologin app
WORKDIR /srv/app
COPY --chown=1000680000:0 bin/ /srv/app/bin/
USER 1000680000
ENTRYPOINT ["/usr/bin/tini", "--", "/srv/app/bin/server"]
