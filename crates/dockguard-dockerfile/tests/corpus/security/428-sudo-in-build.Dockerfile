FROM ubuntu:22.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends sudo=1.9.13p3-1+deb12u1 git=1:2.39.5-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd -m -s /bin/bash dev \
    && echo 'dev ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/dev
USER dev
WORKDIR /home/dev
RUN sudo mkdir -p /opt/tools && sudo chown dev /opt/tools
CMD ["bash"]
