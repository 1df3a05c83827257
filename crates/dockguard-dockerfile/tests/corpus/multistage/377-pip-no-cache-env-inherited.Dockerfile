FROM python:3.12.4-slim-bookworm AS base
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

FROM base
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "app"]
