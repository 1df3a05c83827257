FROM debian:12.6 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential=12.9 \
        cmake=3.25.1-1 \
        ninja-build=1.11.1-2~deb12u1 \
        libssl-dev=3.0.15-1~deb12u1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    && cmake --build build \
    && cmake --install build --prefix /opt/app

FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends openssl=3.0.15-1~deb12u1 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/app /opt/app
USER 10001
ENTRYPOINT ["/opt/app/bin/server"]
