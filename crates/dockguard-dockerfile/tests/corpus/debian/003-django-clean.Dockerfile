# Django site: auth-gateway
FROM python:3.11.9-slim-bookworm
LABEL org.opencontainers.image.title="auth-gateway" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/auth-gateway"
ENV DJANGO_SETTINGS_MODULE=site.settings.production \
    PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5=15.8-0+deb12u1 fonts-dejavu-core=2.37-6 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/production.txt
COPY . .
RUN python manage.py collectstatic --noinput
USER 1001
EXPOSE 8000
CMD ["gunicorn", "site.wsgi:application", "--bind", "0.0.0.0:8000"]
