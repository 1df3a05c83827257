# Java service on UBI 8: inventory
FROM registry.access.redhat.com/ubi8/ubi:8.10-1020
RUN yum install -y java-21-openjdk-headless shadow-utils \
    && yum clean all
WORKDIR /opt/app
ADD build/libs/app.jar /opt/app/app.jar
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
