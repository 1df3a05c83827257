# Corretto service on Amazon Linux 2: ingest
FROM amazonlinux:2.0.20240610.1
RUN yum install -y java-17-amazon-corretto-headless-17.0.11.9.1 shadow-utils-4.9 && \
    yum clean all && \
    rm -rf /var/cache/yum && \
    useradd --system --uid 999 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 999
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
