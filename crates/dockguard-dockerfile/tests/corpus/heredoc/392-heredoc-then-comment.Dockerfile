# syntax=docker/dockerfile:1.7
FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN <<EOF
pip install --no-cache-dir -r requirements.txt
EOF
# application code last for better caching
COPY . .
USER 10001
CMD ["python", "-m", "app"]
