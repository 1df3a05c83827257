FROM python:3.12.4-slim-bookworm
WORKDIR /srv
COPY ["config/app.yaml", "config/logging.yaml", "/etc/app"]
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "app", "--config", "/etc/app/app.yaml"]
