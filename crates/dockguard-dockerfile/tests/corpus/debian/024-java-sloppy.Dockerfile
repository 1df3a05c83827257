# Spring Boot service: media-resizer
FROM eclipse-temurin:21.0.3_9-jre-jammy
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl ca-certificates && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 65532 app && useradd --system --uid 65532 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /opt/app
ADD build/libs/app.jar /opt/app/app.jar
USER app
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
