# JRE service on Alpine: audit-log
FROM eclipse-temurin:21.0.3_9-jre-alpine
RUN apk add --no-cache tini && \
    addgroup -S -g 1000 app && adduser -S -D -H -u 1000 -G app app
WORKDIR /opt/app
ADD build/libs/app.jar /opt/app/app.jar
USER app
EXPOSE 8080
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["java", "-jar", "/opt/app/app.jar"]
