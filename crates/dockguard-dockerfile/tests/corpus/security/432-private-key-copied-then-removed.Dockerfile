FROM alpine:3.20.1
RUN apk add --no-cache git=2.45.2-r0 openssh-client-default=9.7_p1-r4
COPY deploy_key /etc/ssh/deploy_key
RUN GIT_SSH_COMMAND='ssh -i /etc/ssh/deploy_key -o StrictHostKeyChecking=no' \
    git clone git@git.example.com:acme/config.git /srv/config
RUN rm /etc/ssh/deploy_key
USER 10001
