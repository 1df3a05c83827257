FROM python:3.12.4-slim-bookworm
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
USER 10001
CMD ["python", "app.py"]
