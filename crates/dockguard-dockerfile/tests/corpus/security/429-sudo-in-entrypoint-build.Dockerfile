FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends sudo=1.9.13p3-1+deb12u1 \
    && rm -rf /var/lib/apt/lists/*
COPY . /srv/app
RUN sudo -u nobody /srv/app/bin/check-config
USER 65534
CMD ["/srv/app/bin/app"]
