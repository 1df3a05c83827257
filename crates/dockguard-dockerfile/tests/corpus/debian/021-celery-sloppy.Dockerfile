# Celery worker: inventory
FROM python:3.12.4-slim-bookworm
ENV LD_PRELOAD=libjemalloc.so.2
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libjemalloc2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install celery[redis] flower
EXPOSE 5555
CMD ["celery", "--app", "worker.app", "worker", "--loglevel", "INFO"]
