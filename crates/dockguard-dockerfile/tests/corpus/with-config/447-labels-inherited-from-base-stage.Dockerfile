FROM python:3.12.4-slim-bookworm AS base
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="report-worker" \
      org.opencontainers.image.source="https://git.example.com/acme/report-worker" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="3f2a9c1d5e7b8a0c4d6e1f2a3b4c5d6e7f8a9b0c" \
      org.opencontainers.image.version="1.4.2"
WORKDIR /app
HEALTHCHECK CMD ["python", "-c", "import worker"]

FROM base
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
HEALTHCHECK CMD ["python", "-c", "import worker"]
USER 10001
CMD ["python", "-m", "worker"]
