# Python from apk: feature-flags
FROM alpine:3.20.1
RUN apk add --no-cache python3 py3-pip
WORKDIR /app
COPY . .
RUN pip install --break-system-packages httpx rich
EXPOSE 8000
CMD ["python3", "-m", "app"]
