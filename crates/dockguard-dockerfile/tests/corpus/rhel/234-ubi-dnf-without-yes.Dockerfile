# Python API on UBI 9: media-resizer
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install --nodocs python3.12-3.12.1 python3.12-pip-23.2.1 && \
    dnf clean all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.12 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 65532
EXPOSE 8080
CMD ["python3.12", "-m", "gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
