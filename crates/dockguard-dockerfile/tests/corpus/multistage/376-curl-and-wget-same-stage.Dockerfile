FROM alpine:3.20.1 AS fetch
RUN apk add --no-cache curl=8.9.1-r2
WORKDIR /dl
RUN curl -fsSLo tool.tgz https://downloads.example.com/tool/v1.2.3/tool.tgz
COPY checksums.txt .
RUN wget -q https://downloads.example.com/tool/v1.2.3/tool.tgz.sig && sha256sum -c checksums.txt

FROM alpine:3.20.1
COPY --from=fetch /dl/tool.tgz /opt/
USER 10001
