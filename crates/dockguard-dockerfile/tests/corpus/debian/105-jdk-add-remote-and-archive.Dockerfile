FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
ADD vendor/jdk-21.0.3_linux-x64_bin.tar.gz /opt/
ADD https://downloads.example.com/certs/corp-root-ca.crt /usr/local/share/ca-certificates/corp-root-ca.crt
RUN update-ca-certificates
ENV JAVA_HOME=/opt/jdk-21.0.3 \
    PATH=/opt/jdk-21.0.3/bin:$PATH
USER 10001
CMD ["java", "-version"]
