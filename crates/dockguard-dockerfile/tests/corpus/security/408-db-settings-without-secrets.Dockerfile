FROM python:3.12.4-slim-bookworm
WORKDIR /app
ENV DB_HOST=db.internal \
    DB_PORT=5432 \
    DB_NAME=orders \
    DB_PASSWD_FILE=/run/secrets/db
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "orders"]
