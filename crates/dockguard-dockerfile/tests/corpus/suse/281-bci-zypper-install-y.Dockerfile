# Java on SUSE BCI: pricing
FROM registry.suse.com/bci/openjdk:21-20.7
RUN zypper --non-interactive refresh \
    && zypper install -y --no-recommends shadow=4.8.1 which=2.21 \
    && zypper clean --all \
    && useradd --system --uid 10014 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 10014
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["java", "-jar", "/opt/app/app.jar"]
