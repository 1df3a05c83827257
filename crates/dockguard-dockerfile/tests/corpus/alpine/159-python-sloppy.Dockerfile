# FastAPI service on Alpine: search-indexer
FROM python:3.12.4-alpine3.20
ENV PYTHONUNBUFFERED=1
RUN apk add --no-cache libpq tzdata
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
EXPOSE 8000
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]
