# Go build image on Tumbleweed: webhooks
FROM opensuse/tumbleweed:20240612
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends \
        go1.22 \
        git-core \
        gcc \
        make && \
    zypper clean --all && \
    useradd --system --uid 999 --user-group --no-create-home app
WORKDIR /src
COPY . .
RUN go install github.com/go-delve/delve/cmd/dlv@latest \
    && go build -gcflags="all=-N -l" -o /usr/local/bin/app ./cmd/app
USER app
EXPOSE 8080
CMD ["/usr/local/bin/app"]
