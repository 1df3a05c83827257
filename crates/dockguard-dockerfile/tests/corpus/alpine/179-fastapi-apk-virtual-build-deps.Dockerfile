# FastAPI service on Alpine: scheduler
FROM python:3.12.4-alpine3.20
LABEL org.opencontainers.image.title="scheduler" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/scheduler"
ENV PYTHONUNBUFFERED=1
RUN apk add --no-cache --virtual .build-deps build-base=0.5-r3 libffi-dev=3.4.6-r0 \
    && apk add --no-cache libpq=16.4-r0 tzdata=2024b-r0 \
    && pip install --no-cache-dir cffi==1.16.0 \
    && apk del .build-deps \
    && addgroup -S -g 1001 app && adduser -S -D -H -u 1001 -G app app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8000/health"]
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
