FROM python:3.12.4-slim-bookworm AS base
WORKDIR /app
ENV PYTHONUNBUFFERED=1

FROM base AS deps
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

FROM deps
COPY . .
USER 10001
CMD ["python", "-m", "app"]
