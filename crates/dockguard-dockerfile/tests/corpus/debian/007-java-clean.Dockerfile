# Spring Boot service: search-indexer
FROM eclipse-temurin:21.0.3_9-jre-jammy
LABEL org.opencontainers.image.title="search-indexer" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/search-indexer"
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10014 app && useradd --system --uid 10014 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 10014
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/actuator/health"]
CMD ["java", "-jar", "/opt/app/app.jar"]
