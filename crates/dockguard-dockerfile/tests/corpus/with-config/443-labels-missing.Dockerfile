FROM alpine:3.20.1
LABEL org.opencontainers.image.title="pricing"
COPY bin/app /usr/local/bin/app
HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "healthcheck"]
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
