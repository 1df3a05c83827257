FROM golang:1.22.4-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM debian:12.6-slim
COPY --from=build /out/app /usr/local/bin/app
HEALTHCHECK CMD ["app", "health"]
USER 10001
HEALTHCHECK NONE
CMD ["app"]
