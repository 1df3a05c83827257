# 'base' is the parent of the later stages, so its apt lists count.
FROM debian:12.6-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311 tzdata=2024a-0+deb12u1

FROM base AS build
WORKDIR /src
COPY . .

FROM base
COPY --from=build /src/bin/app /usr/local/bin/app
USER 10001
CMD ["app"]
