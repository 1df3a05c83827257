# Java on SUSE BCI: report-worker
FROM registry.suse.com/bci/openjdk:21-20.7
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends shadow=4.8.1 which=2.21 && \
    zypper clean --all && \
    useradd --system --uid 1000 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 1000
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
