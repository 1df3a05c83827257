# apt lists left in a builder stage that is only used through COPY --from
FROM debian:12.6 AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential=12.9 cmake=3.25.1-1
WORKDIR /src
COPY . .
RUN cmake -B build && cmake --build build

FROM debian:12.6-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/server /usr/local/bin/server
USER 10001
CMD ["server"]
