FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3=3.11.2-1+b1 python3-venv=3.11.2-1+b1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN ln -s /usr/bin/python3 /usr/local/bin/python
USER 10001
CMD ["python", "--version"]
