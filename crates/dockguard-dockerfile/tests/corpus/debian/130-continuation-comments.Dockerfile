FROM debian:12.6-slim
RUN apt-get update \
    # tools needed by the health check
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    # keep the image small
    && rm -rf /var/lib/apt/lists/*
COPY bin/app /usr/local/bin/app
USER 10001
HEALTHCHECK CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
