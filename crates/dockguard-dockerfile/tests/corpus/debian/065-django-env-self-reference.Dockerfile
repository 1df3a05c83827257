# Django site: mailer
FROM python:3.11.9-slim-bookworm
ENV APP_HOME=/srv/mailer \
    APP_CONFIG=${APP_HOME}/config.yaml
RUN apt-get update && \
    apt-get install -y --no-install-recommends libpq5=15.8-0+deb12u1 fonts-dejavu-core=2.37-6 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 10002 app && useradd --system --uid 10002 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/production.txt
COPY . .
RUN python manage.py collectstatic --noinput
USER 10002
EXPOSE 8000
CMD ["gunicorn", "site.wsgi:application", "--bind", "0.0.0.0:8000"]
