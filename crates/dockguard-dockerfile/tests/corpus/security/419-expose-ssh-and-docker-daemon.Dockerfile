FROM docker:26.1.4-dind
COPY daemon.json /etc/docker/daemon.json
EXPOSE 22 2375
VOLUME /var/lib/docker
