# Python API on UBI 9: report-worker
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install -y --nodocs python3.12 python3.12-pip && \
    dnf clean all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /app
COPY . .
RUN python3.12 -m pip install -r requirements.txt
USER app
EXPOSE 8080
CMD ["python3.12", "-m", "gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
