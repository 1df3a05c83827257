# Java on SUSE BCI: checkout
FROM registry.suse.com/bci/openjdk:21-20.7
RUN zypper --non-interactive refresh \
    && zypper -n install --no-recommends shadow which \
    && zypper clean --all
WORKDIR /opt/app
ADD build/libs/app.jar /opt/app/app.jar
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
