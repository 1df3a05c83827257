# Python worker on Amazon Linux 2023: metrics-proxy
FROM amazonlinux:2023.4.20240611.0
RUN dnf install -y --nodocs python3-3.9.18 python3-pip-21.2.3 shadow-utils-4.9 && \
    dnf clean all && \
    rm -rf /var/cache/dnf && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.txt .
RUN pip install -r requirements.txt \
    && pip install gunicorn==22.0.0
COPY . .
USER 65532
EXPOSE 8080
CMD ["python3", "-m", "worker"]
