# FastAPI service on Alpine: auth-gateway
FROM python:3.12.4-alpine3.20
ENV PYTHONUNBUFFERED=1
RUN apk add --no-cache libpq=16.4-r0 tzdata=2024b-r0 \
    && addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 \
    && poetry config virtualenvs.create false \
    && poetry install --only main --no-root --no-interaction
COPY . .
USER 1001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8000/health"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
