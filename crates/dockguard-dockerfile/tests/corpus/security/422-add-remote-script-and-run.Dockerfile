FROM ubuntu:24.04
ADD https://downloads.example.com/monitoring/install-agent.sh /tmp/install-agent.sh
RUN bash /tmp/install-agent.sh --non-interactive && rm /tmp/install-agent.sh
CMD ["monitoring-agent"]
