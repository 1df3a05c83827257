FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 gnupg=2.2.40-1.1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /tmp
RUN curl -sL https://downloads.example.com/setup_20.x | bash - \
    && apt-get install -y nodejs
USER root
CMD ["node"]
