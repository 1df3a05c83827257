# Python on SUSE BCI: inventory
FROM registry.suse.com/bci/python:3.11-42.12
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends timezone shadow \
    && zypper clean --all
WORKDIR /app
COPY . .
RUN pip3.11 install flask gunicorn
EXPOSE 8000
CMD ["python3.11", "-m", "app"]
