LABEL org.opencontainers.image.authors="platform@example.com"
FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY . .
USER 10001
CMD ["python", "main.py"]
