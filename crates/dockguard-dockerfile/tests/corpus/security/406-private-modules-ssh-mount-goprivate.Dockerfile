# syntax=docker/dockerfile:1
FROM golang:1.22.4-bookworm AS build
ENV GOPRIVATE=git.example.com/acme/* \
    GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=accept-new"
RUN git config --global url."ssh://git@git.example.com/".insteadOf "https://git.example.com/"
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=ssh go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER 65532
ENTRYPOINT ["/app"]
