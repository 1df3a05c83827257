FROM python:3.12.4-slim-bookworm
WORKDIR /app
ENV AWS_ACCESS_KEY_ID=AKIAFAKEFAKEFAKE0000 \
    AWS_SECRET_ACCESS_KEY=fake/NOT+A+REAL+SECRET+KEY+0000000000000 \
    AWS_DEFAULT_REGION=eu-west-1
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "sync_s3.py"]
