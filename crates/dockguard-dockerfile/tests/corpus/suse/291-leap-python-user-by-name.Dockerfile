# Python service on openSUSE Leap: orders-api
FROM opensuse/leap:15.6
LABEL org.opencontainers.image.title="orders-api" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/orders-api"
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends python311=3.11.9 python311-pip=22.3.1 shadow=4.8.1 \
    && zypper clean --all \
    && useradd --system --uid 10001 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.11 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8000/healthz"]
CMD ["python3.11", "-m", "app"]
