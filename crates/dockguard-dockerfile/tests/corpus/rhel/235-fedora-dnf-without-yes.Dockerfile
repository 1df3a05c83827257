# Fedora development container: geo-lookup
FROM fedora:40
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
RUN dnf install --nodocs --setopt=install_weak_deps=False \
        gcc-11.4.1 \
        make-4.3 \
        git-core-2.43.5 \
        python3-3.9.18 \
    && dnf clean all \
    && useradd --system --uid 20000 --user-group --no-create-home app
WORKDIR /src
COPY Makefile /src/Makefile
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["make", "-C", "/src", "test"]
