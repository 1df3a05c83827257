# Java on SUSE BCI: ingest
FROM registry.suse.com/bci/openjdk:21-20.7
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends shadow which && \
    zypper clean --all && \
    useradd --system --uid 999 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 999
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
