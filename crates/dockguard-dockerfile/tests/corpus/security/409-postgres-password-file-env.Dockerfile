FROM postgres:16.3-bookworm
ENV POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password \
    POSTGRES_DB=app
COPY initdb/ /docker-entrypoint-initdb.d/
USER 999
