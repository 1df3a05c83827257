FROM python:3.12.4-slim-bookworm AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

FROM python:3.12.4-slim-bookworm
COPY --from=build /install /usr/local
RUN useradd --uid 10001 --no-create-home app
USER app
WORKDIR /app
COPY . .
USER root
ENTRYPOINT ["/app/entrypoint.sh"]
