# Go binary on UBI 9 minimal: webhooks
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4-1134
RUN microdnf install -y --nodocs ca-certificates tzdata && \
    microdnf clean all
WORKDIR /opt/app
ADD bin/server /usr/local/bin/server
USER app
EXPOSE 8080
CMD ["/usr/local/bin/server"]
