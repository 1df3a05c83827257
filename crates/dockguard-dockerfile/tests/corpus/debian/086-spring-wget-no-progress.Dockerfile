# Spring Boot service: pricing
FROM eclipse-temurin:21.0.3_9-jre-jammy
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10014 app && useradd --system --uid 10014 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=3.15.2
RUN wget -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" \
    && tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool \
    && rm -f /tmp/tool.tar.gz
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 10014
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/actuator/health"]
CMD ["java", "-jar", "/opt/app/app.jar"]
