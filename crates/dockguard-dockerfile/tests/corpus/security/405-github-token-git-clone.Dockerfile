FROM golang:1.22.4-bookworm
ARG GITHUB_TOKEN
ENV GOPRIVATE=git.example.com/acme/*
RUN git config --global url."https://${GITHUB_TOKEN}@git.example.com/".insteadOf "https://git.example.com/"
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/app ./cmd/app
CMD ["app"]
