# syntax=docker/dockerfile:1
# The private index URL comes from a secret; the pip cache lives in a cache mount.
FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf \
    --mount=type=cache,target=/var/cache/pip \
    PIP_CACHE_DIR=/var/cache/pip pip install -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "app"]
