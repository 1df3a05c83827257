# Model inference server: ledger
FROM python:3.11.9-slim-bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends libgomp1 ca-certificates && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 10002 app && useradd --system --uid 10002 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir torch --index-url https://download.example.com/whl/cpu
USER app
EXPOSE 8080
CMD ["python", "serve.py", "--port", "8080"]
