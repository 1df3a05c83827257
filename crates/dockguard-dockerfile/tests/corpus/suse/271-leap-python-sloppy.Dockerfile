# Python service on openSUSE Leap: search-indexer
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends python311 python311-pip shadow \
    && zypper clean --all
WORKDIR /app
COPY . .
RUN pip3.11 install flask gunicorn
EXPOSE 8000
CMD ["python3.11", "-m", "app"]
