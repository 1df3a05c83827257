# Model inference server: mailer
FROM python:3.11.9-slim-bookworm
RUN apt-get update && \
    apt-get install -y --no-install-recommends libgomp1=12.2.0-14 ca-certificates=20230311 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 10002 app && useradd --system --uid 10002 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=1.7.1
RUN wget -nv -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" && \
    tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool && \
    rm -f /tmp/tool.tar.gz
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir torch==2.3.1 --index-url https://download.example.com/whl/cpu
COPY model/ ./model/
COPY serve.py .
USER 10002
EXPOSE 8080
CMD ["python", "serve.py", "--port", "8080"]
