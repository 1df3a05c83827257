FROM alpine:3.20.1
COPY scripts/ /usr/local/bin/
RUN chmod 777 /usr/local/bin/*.sh \
    && chmod u+s /usr/local/bin/backup.sh
USER 10001
CMD ["/usr/local/bin/run.sh"]
