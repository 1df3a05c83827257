# Fedora development container: ledger
FROM fedora:40
RUN dnf install -y --nodocs --setopt=install_weak_deps=False \
        gcc \
        make \
        git-core \
        python3 && \
    dnf clean all && \
    useradd --system --uid 10002 --user-group --no-create-home app
WORKDIR /src
ADD Makefile /src/Makefile
USER app
EXPOSE 8080
CMD ["make", "-C", "/src", "test"]
