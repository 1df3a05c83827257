FROM debian:12.6-slim
RUN apt-get update \
    # build deps
    && apt-get install -y --no-install-recommends \
        gcc \
        # libc headers
        libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
CMD ["make"]
