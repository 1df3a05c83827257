# Python Flask API: media-resizer
FROM python:3.12.4-slim-bookworm
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN apt-get update && \
    apt-get install -y --no-install-recommends ca-certificates=20230311 libpq5=15.8-0+deb12u1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 65532 app && useradd --system --uid 65532 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=1.30.2
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 \
    && poetry config virtualenvs.create false \
    && poetry install --only main --no-root --no-interaction
COPY . .
USER 65532
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "app:create_app()"]
