# Python from apk: pricing
FROM alpine:3.20.1
RUN apk add --no-cache python3=3.12.7-r0 py3-pip=24.0-r2 \
    && addgroup -S -g 10014 app && adduser -S -D -H -u 10014 -G app app
ARG TOOL_VERSION=2.4.0
RUN wget -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" \
    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool \
    && rm -f /tmp/tool.tar.gz
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --break-system-packages -r requirements.txt
COPY app/ ./app/
USER 10014
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8000/healthz"]
CMD ["python3", "-m", "app"]
