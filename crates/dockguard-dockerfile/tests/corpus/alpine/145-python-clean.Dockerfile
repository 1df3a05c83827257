# FastAPI service on Alpine: billing
FROM python:3.12.4-alpine3.20
ENV PYTHONUNBUFFERED=1
RUN apk add --no-cache libpq=16.4-r0 tzdata=2024b-r0 && \
    addgroup -S -g 10002 app && adduser -S -D -H -u 10002 -G app app
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.txt .
RUN pip install -r requirements.txt \
    && pip install gunicorn==22.0.0
COPY . .
USER 10002
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8000/health"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
