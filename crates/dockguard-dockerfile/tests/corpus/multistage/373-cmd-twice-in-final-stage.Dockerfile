FROM python:3.12.4-slim-bookworm AS build
WORKDIR /app
COPY . .

FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY --from=build /app /app
CMD ["python", "-m", "app", "--debug"]
USER 10001
CMD ["python", "-m", "app"]
