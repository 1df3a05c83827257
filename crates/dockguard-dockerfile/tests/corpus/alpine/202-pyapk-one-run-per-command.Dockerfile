# Python from apk: mailer
FROM alpine:3.20.1
RUN apk add --no-cache python3=3.12.7-r0 py3-pip=24.0-r2
RUN addgroup -S -g 10002 app && adduser -S -D -H -u 10002 -G app app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --break-system-packages -r requirements.txt
COPY app/ ./app/
USER 10002
EXPOSE 8000
CMD ["python3", "-m", "app"]
