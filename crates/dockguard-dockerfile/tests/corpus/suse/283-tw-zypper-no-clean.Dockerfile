# Go build image on Tumbleweed: feature-flags
FROM opensuse/tumbleweed:20240612
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends \
        go1.22=1.22.5 \
        git-core=2.45.2 \
        gcc=13 \
        make=4.3 \
    && useradd --system --uid 10001 --user-group --no-create-home app
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
