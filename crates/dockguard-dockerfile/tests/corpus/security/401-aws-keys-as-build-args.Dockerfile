FROM amazon/aws-cli:2.17.0
ARG AWS_ACCESS_KEY_ID
ARG AWS_SECRET_ACCESS_KEY
RUN aws s3 cp s3://acme-build-artifacts/app.tar.gz /tmp/app.tar.gz \
    && mkdir -p /opt/app && tar -xzf /tmp/app.tar.gz -C /opt/app
USER 10001
ENTRYPOINT ["/opt/app/bin/app"]
