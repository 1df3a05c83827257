# ADD unpacks local tarballs by itself
FROM eclipse-temurin:17.0.11_9-jre-jammy
ADD vendor/async-profiler-3.0-linux-x64.tar.gz /opt/
COPY build/libs/app.jar /opt/app/app.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/app/app.jar"]
