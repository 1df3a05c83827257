FROM python:3.11.9-slim-bookworm
WORKDIR /app
ONBUILD COPY requirements.txt /app/
ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt
ONBUILD COPY . /app/
USER 10001
CMD ["python", "-m", "app"]
