# Go service (single stage): audit-log
FROM golang:1.22.4-bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates=20230311 git=1:2.39.5-0+deb12u1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 1000 app && useradd --system --uid 1000 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=0.21.4
RUN wget -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" && \
    tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool && \
    rm -f /tmp/tool.tar.gz
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go install golang.org/x/vuln/cmd/govulncheck@v1.1.2 \
    && govulncheck ./... \
    && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /usr/local/bin/app ./cmd/app
USER 1000
EXPOSE 8080
CMD ["/usr/local/bin/app"]
