# PostgreSQL client tools on Leap: geo-lookup
FROM opensuse/leap:15.6
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends postgresql16 gzip shadow \
    && zypper clean --all
WORKDIR /backup
ADD backup.sh /usr/local/bin/backup.sh
EXPOSE 8080
CMD ["/usr/local/bin/backup.sh"]
