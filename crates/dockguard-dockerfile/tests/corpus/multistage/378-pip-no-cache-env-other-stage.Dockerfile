FROM python:3.12.4-slim-bookworm AS test
ENV PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY . .
RUN pip install -r requirements-dev.txt && pytest -q

FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "app"]
