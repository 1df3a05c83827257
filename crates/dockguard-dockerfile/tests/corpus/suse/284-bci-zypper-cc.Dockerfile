# Python on SUSE BCI: mailer
FROM registry.suse.com/bci/python:3.11-42.12
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends timezone=2024a shadow=4.8.1 && \
    zypper cc -a && \
    useradd --system --uid 10002 --user-group --no-create-home app
WORKDIR /app
COPY requirements.txt .
RUN python3.11 -m pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10002
EXPOSE 8000
CMD ["python3.11", "-m", "app"]
