# Team base image; downstream Dockerfiles just say FROM it.
FROM python:3.12.4-slim-bookworm
WORKDIR /app
ONBUILD COPY requirements.txt /app/
ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt
ONBUILD MAINTAINER Platform Team <platform@example.com>
ONBUILD COPY . /app/
CMD ["python", "-m", "app"]
