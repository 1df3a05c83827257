# Spring Boot service: ingest
FROM eclipse-temurin:21.0.3_9-jre-jammy
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER root
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
