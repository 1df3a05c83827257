# Python on SUSE BCI: catalog
FROM registry.suse.com/bci/python:3.11-42.12
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends timezone=2024a shadow=4.8.1 && \
    zypper clean --all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.11 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 65532
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8000/healthz"]
CMD ["python3.11", "-m", "app"]
