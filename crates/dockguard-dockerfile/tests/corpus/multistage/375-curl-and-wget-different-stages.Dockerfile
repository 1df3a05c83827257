FROM debian:12.6 AS fetch
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /tmp/tool.tgz https://downloads.example.com/tool/v1.2.3/tool.tgz \
    && tar -xzf /tmp/tool.tgz -C /usr/local/bin

FROM alpine:3.20.1
COPY --from=fetch /usr/local/bin/tool /usr/local/bin/tool
RUN wget -q -O /etc/tool.yaml https://downloads.example.com/tool/v1.2.3/default.yaml
USER 10001
