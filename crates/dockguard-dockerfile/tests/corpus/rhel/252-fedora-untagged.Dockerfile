# Fedora development container: report-worker
FROM fedora
RUN dnf install -y --nodocs --setopt=install_weak_deps=False \
        gcc-11.4.1 \
        make-4.3 \
        git-core-2.43.5 \
        python3-3.9.18 && \
    dnf clean all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /src
COPY Makefile /src/Makefile
USER 1000
EXPOSE 8080
CMD ["make", "-C", "/src", "test"]
