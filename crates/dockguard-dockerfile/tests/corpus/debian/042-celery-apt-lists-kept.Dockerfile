# Celery worker: scheduler
FROM python:3.12.4-slim-bookworm
LABEL org.opencontainers.image.title="scheduler" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/scheduler"
ENV LD_PRELOAD=libjemalloc.so.2
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 libjemalloc2=5.3.0-1 \
    && groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY worker/ ./worker/
USER 1001
EXPOSE 5555
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["celery", "--app", "worker.app", "inspect", "ping"]
CMD ["celery", "--app", "worker.app", "worker", "--loglevel", "INFO"]
