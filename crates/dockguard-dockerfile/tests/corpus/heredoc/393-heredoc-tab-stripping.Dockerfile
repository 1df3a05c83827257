# syntax=docker/dockerfile:1.7
FROM alpine:3.20.1
RUN <<-EOT
	set -eu
	mkdir -p /srv/data
	chown 10001:10001 /srv/data
	EOT

USER 10001
