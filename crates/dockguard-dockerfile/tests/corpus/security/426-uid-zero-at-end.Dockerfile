FROM alpine:3.20.1
COPY bin/app /usr/local/bin/app
USER 10001
RUN /usr/local/bin/app --self-test
USER 0:0
ENTRYPOINT ["/usr/local/bin/app"]
