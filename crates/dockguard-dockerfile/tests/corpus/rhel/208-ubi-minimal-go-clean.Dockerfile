# Go binary on UBI 9 minimal: auth-gateway
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4-1134
LABEL org.opencontainers.image.title="auth-gateway" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/auth-gateway"
RUN microdnf install -y --nodocs ca-certificates-2024.2.69_v8.0.303 tzdata-2024a \
    && microdnf clean all
WORKDIR /opt/app
COPY bin/server /usr/local/bin/server
USER 1001
EXPOSE 8080
CMD ["/usr/local/bin/server"]
