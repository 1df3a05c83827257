# Proxy settings for the build network
ENV HTTP_PROXY=http://proxy.example.com:3128
FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
USER 10001
CMD ["bash"]
