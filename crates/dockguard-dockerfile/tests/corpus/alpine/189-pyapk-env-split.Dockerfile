# Python from apk: notifier
FROM alpine:3.20.1
ENV APP_HOME=/srv/notifier
ENV APP_CONFIG=${APP_HOME}/config.yaml \
    PATH=${APP_HOME}/bin:$PATH
RUN apk add --no-cache python3=3.12.7-r0 py3-pip=24.0-r2 \
    && addgroup -S -g 20000 app && adduser -S -D -H -u 20000 -G app app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --break-system-packages -r requirements.txt
COPY app/ ./app/
USER 20000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8000/healthz"]
CMD ["python3", "-m", "app"]
