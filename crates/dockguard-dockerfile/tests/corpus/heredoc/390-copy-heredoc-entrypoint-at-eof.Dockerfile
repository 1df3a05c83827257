# syntax=docker/dockerfile:1.7
FROM alpine:3.20.1
USER 10001
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
COPY --chmod=755 <<EOF /usr/local/bin/entrypoint.sh
#!/bin/sh
set -e
exec "$@"
EOF
