# Python API on UBI 9: orders-api
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
LABEL org.opencontainers.image.title="orders-api" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/orders-api"
RUN dnf install -y --nodocs python3.12-3.12.1 python3.12-pip-23.2.1 \
    && dnf clean all \
    && useradd --system --uid 10001 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.12 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["python3.12", "-m", "gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
