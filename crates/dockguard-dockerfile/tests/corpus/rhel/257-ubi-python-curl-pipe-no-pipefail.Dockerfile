# Python API on UBI 9: checkout
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install -y --nodocs python3.12-3.12.1 python3.12-pip-23.2.1 \
    && dnf clean all \
    && useradd --system --uid 1001 --user-group --no-create-home app
ARG TOOL_VERSION=1.30.2
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
WORKDIR /app
COPY requirements.txt .
RUN python3.12 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["python3.12", "-m", "gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
