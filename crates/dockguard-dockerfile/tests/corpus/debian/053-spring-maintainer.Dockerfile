# Spring Boot service: report-worker
FROM eclipse-temurin:21.0.3_9-jre-jammy
MAINTAINER Platform Team <platform@example.com>
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 1000 app && useradd --system --uid 1000 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 1000
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
