# Spring Boot service: geo-lookup
FROM eclipse-temurin:21.0.3_9-jre-jammy
LABEL org.opencontainers.image.title="geo-lookup" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/geo-lookup"
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update \
    && apt-get install --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 20000 app && useradd --system --uid 20000 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/actuator/health"]
CMD ["java", "-jar", "/opt/app/app.jar"]
