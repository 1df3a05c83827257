FROM golang:1.22.4-alpine3.20
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM alpine:3.20.1
COPY --from=0 /out/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
