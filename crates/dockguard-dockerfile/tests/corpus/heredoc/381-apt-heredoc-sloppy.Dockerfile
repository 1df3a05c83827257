# syntax=docker/dockerfile:1.7
FROM ubuntu:24.04
RUN <<EOF
apt-get update
apt-get install -y python3 python3-pip
EOF

WORKDIR /app
COPY . .
CMD ["python3", "main.py"]
