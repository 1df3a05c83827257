# FastAPI service on Alpine: media-resizer
FROM python:3.12.4-alpine3.20
ENV PYTHONUNBUFFERED=1
RUN apk add --no-cache libpq tzdata && \
    addgroup -S -g 65532 app && adduser -S -D -H -u 65532 -G app app
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 \
    && poetry config virtualenvs.create false \
    && poetry install --only main --no-root --no-interaction
COPY . .
USER 65532
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
