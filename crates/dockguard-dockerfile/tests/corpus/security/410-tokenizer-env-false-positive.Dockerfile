# Only a tuning knob, but the name contains 'token'.
FROM python:3.11.9-slim-bookworm
ENV TOKENIZERS_PARALLELISM=false \
    HF_HUB_DISABLE_TELEMETRY=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "serve.py"]
