FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --trusted-host packages.internal.example.com \
    --index-url http://packages.internal.example.com/simple -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "app"]
