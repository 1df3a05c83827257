# Go binary on UBI 9 minimal: notifier
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4-1134
RUN microdnf install -y --nodocs ca-certificates tzdata \
    && microdnf clean all
WORKDIR /opt/app
COPY bin/server /usr/local/bin/server
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/server"]
