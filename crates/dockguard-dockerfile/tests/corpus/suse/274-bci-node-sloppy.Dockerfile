# Node.js on SUSE BCI: ledger
FROM registry.suse.com/bci/nodejs:20-33.3
RUN zypper --non-interactive refresh && \
    zypper -n install --no-recommends timezone shadow && \
    zypper clean --all && \
    useradd --system --uid 10002 --user-group --no-create-home app
WORKDIR /app
COPY . .
RUN npm install
RUN npm install -g nodemon
USER app
EXPOSE 3000
CMD ["node", "server.js"]
