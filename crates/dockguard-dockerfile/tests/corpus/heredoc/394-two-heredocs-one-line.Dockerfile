# syntax=docker/dockerfile:1.7
FROM alpine:3.20.1
RUN <<FILE1 cat > /etc/app/a.conf && <<FILE2 cat > /etc/app/b.conf
mode=a
FILE1
mode=b
FILE2

USER 10001
