# Corretto service on Amazon Linux 2: pricing
FROM amazonlinux:2.0.20240610.1
RUN yum install -y java-17-amazon-corretto-headless shadow-utils \
    && yum clean all
WORKDIR /opt/app
ADD build/libs/app.jar /opt/app/app.jar
EXPOSE 8080
CMD ["java", "-jar", "/opt/app/app.jar"]
