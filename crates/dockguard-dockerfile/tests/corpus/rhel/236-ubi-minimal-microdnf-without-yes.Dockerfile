# Go binary on UBI 9 minimal: audit-log
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4-1134
RUN microdnf install --nodocs ca-certificates-2024.2.69_v8.0.303 tzdata-2024a && \
    microdnf clean all
WORKDIR /opt/app
COPY bin/server /usr/local/bin/server
USER 1001
EXPOSE 8080
CMD ["/usr/local/bin/server"]
