# JRE service on Alpine: status-page
FROM eclipse-temurin
RUN apk add --no-cache tini=0.19.0-r3 \
    && addgroup -S -g 20000 app && adduser -S -D -H -u 20000 -G app app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 20000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8080/actuator/health"]
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["java", "-jar", "/opt/app/app.jar"]
