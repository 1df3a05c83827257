# Node.js on UBI 9 minimal: scheduler
FROM registry.access.redhat.com/ubi9/nodejs-20-minimal:1-54
RUN microdnf install -y --nodocs tar gzip \
    && microdnf clean all
WORKDIR /opt/app-root/src
COPY . .
RUN npm install
RUN npm install -g nodemon
EXPOSE 8080
CMD ["node", "server.js"]
