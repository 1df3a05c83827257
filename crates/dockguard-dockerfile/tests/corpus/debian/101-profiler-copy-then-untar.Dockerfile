# Bundle the async profiler with the JRE image
FROM eclipse-temurin:17.0.11_9-jre-jammy
COPY vendor/async-profiler-3.0-linux-x64.tar.gz /tmp/
RUN tar -xzf /tmp/async-profiler-3.0-linux-x64.tar.gz -C /opt \
    && rm /tmp/async-profiler-3.0-linux-x64.tar.gz
COPY build/libs/app.jar /opt/app/app.jar
USER 10001
ENTRYPOINT ["java", "-agentpath:/opt/async-profiler-3.0-linux-x64/lib/libasyncProfiler.so=start,event=cpu,file=/tmp/profile.html", "-jar", "/opt/app/app.jar"]
