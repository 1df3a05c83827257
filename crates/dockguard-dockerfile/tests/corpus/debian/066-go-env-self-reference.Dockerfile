# Go service (single stage): scheduler
FROM golang:1.22.4-bookworm
LABEL org.opencontainers.image.title="scheduler" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/scheduler"
ENV APP_HOME=/srv/scheduler \
    APP_CONFIG=${APP_HOME}/config.yaml
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 git=1:2.39.5-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["/usr/local/bin/app"]
