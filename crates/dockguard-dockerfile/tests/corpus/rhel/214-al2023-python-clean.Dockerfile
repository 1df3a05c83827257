# Python worker on Amazon Linux 2023: inventory
FROM amazonlinux:2023.4.20240611.0
LABEL org.opencontainers.image.title="inventory" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/inventory"
RUN dnf install -y --nodocs python3-3.9.18 python3-pip-21.2.3 shadow-utils-4.9 \
    && dnf clean all \
    && useradd --system --uid 10001 --user-group --no-create-home app
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 \
    && poetry config virtualenvs.create false \
    && poetry install --only main --no-root --no-interaction
COPY . .
USER 10001
EXPOSE 8080
CMD ["python3", "-m", "worker"]
