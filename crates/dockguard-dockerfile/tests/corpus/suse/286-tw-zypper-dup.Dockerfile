# Go build image on Tumbleweed: metrics-proxy
FROM opensuse/tumbleweed:20240612
RUN zypper --non-interactive refresh && \
    zypper -n dup && \
    zypper -n install --no-recommends \
        go1.22=1.22.5 \
        git-core=2.45.2 \
        gcc=13 \
        make=4.3 && \
    zypper clean --all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go install golang.org/x/vuln/cmd/govulncheck@v1.1.2 \
    && govulncheck ./... \
    && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 65532
EXPOSE 8080
CMD ["/usr/local/bin/app"]
