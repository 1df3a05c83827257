FROM debian:12.6-slim
ADD https://downloads.example.com/tini/v0.19.0/tini-amd64 /usr/local/bin/tini
RUN chmod 0755 /usr/local/bin/tini
COPY bin/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/tini", "--", "/usr/local/bin/app"]
