FROM ubuntu:24.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1 curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /home/runner
RUN useradd -m -u 2000001000 -s /bin/bash runner
USER 2000001000
CMD ["bash"]
