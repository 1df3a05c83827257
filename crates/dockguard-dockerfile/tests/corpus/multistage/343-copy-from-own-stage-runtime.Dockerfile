FROM python:3.12.4-slim-bookworm AS base
WORKDIR /app

FROM base AS runtime
COPY --from=runtime /app/requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]
