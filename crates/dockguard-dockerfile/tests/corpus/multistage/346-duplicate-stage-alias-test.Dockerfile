FROM python:3.12.4-slim-bookworm AS test
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements-dev.txt && pytest -q

FROM python:3.12.4-slim-bookworm AS test
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]
