# Corretto service on Amazon Linux 2: status-page
FROM amazonlinux:2.0.20240610.1
RUN yum install -y java-17-amazon-corretto-headless-17.0.11.9.1 shadow-utils-4.9 \
    && useradd --system --uid 20000 --user-group --no-create-home app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
CMD ["java", "-jar", "/opt/app/app.jar"]
