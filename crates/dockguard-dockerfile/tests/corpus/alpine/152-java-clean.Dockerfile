# JRE service on Alpine: inventory
FROM eclipse-temurin:21.0.3_9-jre-alpine
LABEL org.opencontainers.image.title="inventory" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/inventory"
RUN apk add --no-cache tini=0.19.0-r3 \
    && addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["java", "-jar", "/opt/app/app.jar"]
