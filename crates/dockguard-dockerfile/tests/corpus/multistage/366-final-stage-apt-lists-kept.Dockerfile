FROM golang:1.22.4-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM debian:12.6-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311 tzdata=2024a-0+deb12u1
COPY --from=build /out/app /usr/local/bin/app
USER 10001
CMD ["app"]
