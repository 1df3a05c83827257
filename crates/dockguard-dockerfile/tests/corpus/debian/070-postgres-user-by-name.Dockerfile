# PostgreSQL with extensions: tenant-admin
FROM postgres:16.3-bookworm
ENV POSTGRES_DB=app \
    PGDATA=/var/lib/postgresql/data/pgdata
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-16-pgvector=0.7.0-1.pgdg120+1 postgresql-16-postgis-3=3.4.2+dfsg-1.pgdg120+1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /var/lib/postgresql
COPY initdb/ /docker-entrypoint-initdb.d/
USER postgres
EXPOSE 5432
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["pg_isready", "-U", "postgres"]
CMD ["postgres", "-c", "shared_preload_libraries=vector"]
