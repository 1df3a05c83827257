FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends wget=1.21.3-1+b2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt
RUN wget --no-check-certificate https://downloads.example.com/app/app-1.2.3.tar.gz \
    && tar -xzf app-1.2.3.tar.gz && rm app-1.2.3.tar.gz
USER 10001
