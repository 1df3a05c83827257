# Python service on openSUSE Leap: billing
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends python311=3.11.9 python311-pip=22.3.1 shadow=4.8.1 && \
    zypper clean --all && \
    useradd --system --uid 10002 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.11 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10002
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8000/healthz"]
CMD ["python3.11", "-m", "app"]
