# Java service on UBI 8: catalog
FROM registry.access.redhat.com/ubi8/ubi:8.10-1020
LABEL org.opencontainers.image.title="catalog" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/catalog"
RUN yum install -y java-21-openjdk-headless shadow-utils && \
    yum clean all && \
    useradd --system --uid 65532 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 65532
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
