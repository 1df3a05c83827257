# Model inference server: notifier
FROM python:3.11.9-slim-bookworm
LABEL org.opencontainers.image.title="notifier" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/notifier"
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1=12.2.0-14 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 20000 app && useradd --system --uid 20000 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir torch==2.3.1 --index-url https://download.example.com/whl/cpu
COPY model/ ./model/
COPY serve.py .
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["python", "serve.py", "--port", "8080"]
