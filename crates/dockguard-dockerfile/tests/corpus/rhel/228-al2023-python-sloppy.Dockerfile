# Python worker on Amazon Linux 2023: audit-log
FROM amazonlinux:2023.4.20240611.0
RUN dnf install -y --nodocs python3 python3-pip shadow-utils && \
    dnf clean all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir --upgrade pip \
    && pip install --no-cache-dir -r requirements.txt
USER app
EXPOSE 8080
CMD ["python3", "-m", "worker"]
