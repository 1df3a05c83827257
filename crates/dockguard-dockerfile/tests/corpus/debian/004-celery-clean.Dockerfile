# Celery worker: catalog
FROM python:3.12.4-slim-bookworm
ENV LD_PRELOAD=libjemalloc.so.2
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates=20230311 libjemalloc2=5.3.0-1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 65532 app && useradd --system --uid 65532 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY worker/ ./worker/
USER 65532
EXPOSE 5555
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["celery", "--app", "worker.app", "inspect", "ping"]
CMD ["celery", "--app", "worker.app", "worker", "--loglevel", "INFO"]
