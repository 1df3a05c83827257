# Django site: webhooks
FROM python:3.11.9-slim-bookworm
ENV DJANGO_SETTINGS_MODULE=site.settings.production \
    PYTHONUNBUFFERED=1
RUN apt-get update && \
    apt-get install -y --no-install-recommends libpq5 fonts-dejavu-core && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 999 app && useradd --system --uid 999 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements/production.txt
RUN python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["gunicorn", "site.wsgi:application", "--bind", "0.0.0.0:8000"]
