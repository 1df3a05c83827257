# JRE service on Alpine: catalog
FROM eclipse-temurin:21.0.3_9-jre-alpine
LABEL org.opencontainers.image.title="catalog" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/catalog"
ENV APP_HOME=/srv/catalog \
    APP_CONFIG=${APP_HOME}/config.yaml
RUN apk add --no-cache tini=0.19.0-r3 && \
    addgroup -S -g 65532 app && adduser -S -D -H -u 65532 -G app app
WORKDIR /opt/app
COPY build/libs/app.jar /opt/app/app.jar
USER 65532
EXPOSE 8080
ENTRYPOINT ["/sbin/tini", "--"]
CMD ["java", "-jar", "/opt/app/app.jar"]
