FROM python:3.12.4-slim-bookworm AS test
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements-dev.txt
CMD ["pytest", "-q"]

FROM python:3.12.4-slim-bookworm AS prod
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 10001
HEALTHCHECK CMD ["python", "-c", "import app"]
CMD ["python", "-m", "app"]
