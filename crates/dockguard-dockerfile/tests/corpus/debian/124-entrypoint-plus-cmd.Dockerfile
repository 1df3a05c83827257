FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY . .
USER 10001
ENTRYPOINT ["python", "-m", "app"]
CMD ["--port", "8000"]
