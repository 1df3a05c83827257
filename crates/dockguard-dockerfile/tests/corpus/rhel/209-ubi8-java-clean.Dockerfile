# Java service on UBI 8: catalog
FROM registry.access.redhat.com/ubi8/ubi:8.10-1020
RUN yum install -y java-21-openjdk-headless-21.0.3.0.9 shadow-utils-4.9 && \
    yum clean all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["java", "-jar", "/opt/app/app.jar"]
