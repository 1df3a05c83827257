ARG PYTHON_VERSION=3.12.4
FROM python:${PYTHON_VERSION}-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "main.py"]
