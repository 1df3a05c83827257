# Python worker on Amazon Linux 2023: media-resizer
FROM amazonlinux:2023.4.20240611.0
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN dnf install -y --nodocs python3-3.9.18 python3-pip-21.2.3 shadow-utils-4.9 && \
    dnf clean all && \
    useradd --system --uid 65532 --user-group --no-create-home app
ARG TOOL_VERSION=1.7.1
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN pip install --no-cache-dir poetry==1.8.3 \
    && poetry config virtualenvs.create false \
    && poetry install --only main --no-root --no-interaction
COPY . .
USER 65532
EXPOSE 8080
CMD ["python3", "-m", "worker"]
