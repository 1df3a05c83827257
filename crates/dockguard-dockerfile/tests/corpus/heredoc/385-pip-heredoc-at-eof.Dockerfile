# syntax=docker/dockerfile:1.7
FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY requirements.txt .
USER 10001
RUN <<EOF
pip install --user flask
EOF
