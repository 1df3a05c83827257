# Django site: audit-log
FROM python:3.11.9-slim-bookworm
ENV DJANGO_SETTINGS_MODULE=site.settings.production \
    PYTHONUNBUFFERED=1
RUN apt-get update && \
    apt-get install -y --no-install-recommends libpq5=15.8-0+deb12u1 fonts-dejavu-core=2.37-6 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 1000 app && useradd --system --uid 1000 --gid app --no-create-home --shell /usr/sbin/nologin app
ENV APP_ROOT=/app
WORKDIR $APP_ROOT
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/production.txt
COPY . .
RUN python manage.py collectstatic --noinput
USER 1000
EXPOSE 8000
CMD ["gunicorn", "site.wsgi:application", "--bind", "0.0.0.0:8000"]
