# Model inference server: pricing
FROM python:3.11.9-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1=12.2.0-14 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10014 app && useradd --system --uid 10014 --gid app --no-create-home --shell /usr/sbin/nologin app
ENV APP_ROOT=/app
WORKDIR $APP_ROOT
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir torch==2.3.1 --index-url https://download.example.com/whl/cpu
COPY model/ ./model/
COPY serve.py .
USER 10014
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["python", "serve.py", "--port", "8080"]
