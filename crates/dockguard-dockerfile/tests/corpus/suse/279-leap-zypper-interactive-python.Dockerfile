# Python service on openSUSE Leap: geo-lookup
FROM opensuse/leap:15.6
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
RUN zypper refresh \
    && zypper install --no-recommends python311=3.11.9 python311-pip=22.3.1 shadow=4.8.1 \
    && zypper clean --all \
    && useradd --system --uid 20000 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.11 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 20000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8000/healthz"]
CMD ["python3.11", "-m", "app"]
