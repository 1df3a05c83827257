FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY . .
ENTRYPOINT ["python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "-m", "app"]
USER 10001
ENTRYPOINT ["python", "-m", "app"]
CMD ["--port", "8000"]
