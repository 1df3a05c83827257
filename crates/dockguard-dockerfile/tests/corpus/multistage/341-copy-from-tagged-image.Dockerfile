FROM python:3.12.4-slim-bookworm
COPY --from=ghcr.io/astral-sh/uv:0.2.13 /uv /bin/uv
WORKDIR /app
COPY . .
RUN uv pip install --system --no-cache -r requirements.txt
USER 10001
CMD ["python", "-m", "app"]
