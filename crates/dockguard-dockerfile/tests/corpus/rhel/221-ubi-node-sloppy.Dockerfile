# Node.js on UBI 9 (module stream): search-indexer
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf module enable -y nodejs:20 \
    && dnf install -y --nodocs nodejs npm \
    && dnf clean all
WORKDIR /opt/app-root/src
COPY . .
RUN npm install
RUN npm install -g nodemon
EXPOSE 3000
CMD ["node", "server.js"]
