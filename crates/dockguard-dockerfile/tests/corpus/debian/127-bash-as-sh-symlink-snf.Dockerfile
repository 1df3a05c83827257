FROM debian:12.6
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential=12.9 cmake=3.25.1-1 ninja-build=1.11.1-2~deb12u1 \
    && rm -rf /var/lib/apt/lists/*
RUN ln -snf /bin/bash /bin/sh \
    && echo 'dash dash/sh boolean false' | debconf-set-selections
WORKDIR /src
CMD ["bash"]
