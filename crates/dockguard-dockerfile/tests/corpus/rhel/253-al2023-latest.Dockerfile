# Python worker on Amazon Linux 2023: search-indexer
FROM amazonlinux:latest
LABEL org.opencontainers.image.title="search-indexer" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/search-indexer"
RUN dnf install -y --nodocs python3-3.9.18 python3-pip-21.2.3 shadow-utils-4.9 \
    && dnf clean all \
    && useradd --system --uid 10014 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10014
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["python3", "-m", "worker"]
