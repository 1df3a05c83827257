FROM python:3.12.4-slim-bookworm
WORKDIR /app
ENV DB_HOST=db.internal \
    DB_USER=orders \
    DB_PASSWORD=s3cr3t-fake-password
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 10001
CMD ["python", "-m", "orders"]
