# Go build image on Tumbleweed: auth-gateway
FROM opensuse/tumbleweed:20240612
LABEL org.opencontainers.image.title="auth-gateway" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/auth-gateway"
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends \
        go1.22=1.22.5 \
        git-core=2.45.2 \
        gcc=13 \
        make=4.3 \
    && zypper clean --all \
    && useradd --system --uid 1001 --user-group --no-create-home app
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 1001
EXPOSE 8080
CMD ["/usr/local/bin/app"]
