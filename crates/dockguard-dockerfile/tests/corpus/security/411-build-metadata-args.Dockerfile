FROM alpine:3.20.1
ARG APP_VERSION=0.0.0-dev
ARG GIT_COMMIT=unknown
ARG BUILD_DATE
LABEL org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${GIT_COMMIT}"
ENV AWS_REGION=eu-west-1
COPY bin/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
