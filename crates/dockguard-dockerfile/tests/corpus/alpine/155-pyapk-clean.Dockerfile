# Python from apk: media-resizer
FROM alpine:3.20.1
RUN apk add --no-cache python3=3.12.7-r0 py3-pip=24.0-r2 && \
    addgroup -S -g 65532 app && adduser -S -D -H -u 65532 -G app app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --break-system-packages -r requirements.txt
COPY app/ ./app/
USER 65532
EXPOSE 8000
CMD ["python3", "-m", "app"]
