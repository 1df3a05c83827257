FROM debian:12.6-slim AS rootfs
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*

FROM alpine:3.20.1
COPY --from=rootfs / /rootfs/
CMD ["chroot", "/rootfs", "/bin/bash"]
