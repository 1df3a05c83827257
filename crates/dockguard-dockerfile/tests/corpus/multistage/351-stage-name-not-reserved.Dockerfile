FROM scratch AS empty

FROM alpine:3.20.1 AS Scratch
RUN mkdir -p /out/tmp && chmod 1777 /out/tmp

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=Scratch /out/tmp /tmp
USER 65532
