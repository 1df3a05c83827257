# HTTP probe utility: pricing
FROM alpine:3.20.1
RUN apk add --no-cache curl jq ca-certificates
WORKDIR /probe
ADD probe.sh /usr/local/bin/probe.sh
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/probe.sh"]
CMD ["--help"]
