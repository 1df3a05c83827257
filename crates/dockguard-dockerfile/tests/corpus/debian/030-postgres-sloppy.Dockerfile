# PostgreSQL with extensions: mailer
FROM postgres:16.3-bookworm
ENV POSTGRES_DB=app \
    PGDATA=/var/lib/postgresql/data/pgdata
RUN apt-get update && \
    apt-get install -y --no-install-recommends postgresql-16-pgvector postgresql-16-postgis-3 && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /var/lib/postgresql
ENV POSTGRES_PASSWORD=changeme
COPY initdb/ /docker-entrypoint-initdb.d/
USER postgres
EXPOSE 5432
CMD ["postgres", "-c", "shared_preload_libraries=vector"]
