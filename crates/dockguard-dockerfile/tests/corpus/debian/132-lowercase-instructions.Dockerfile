from python:3.12.4-slim-bookworm
workdir /app
copy requirements.txt .
run pip install --no-cache-dir -r requirements.txt
copy . .
user 10001
cmd ["python", "main.py"]
