ARG ELIXIR_VERSION=1.17.1
ARG OTP_VERSION=27.0
FROM hexpm/elixir:${ELIXIR_VERSION}-erlang-${OTP_VERSION}-debian-bookworm-20240612-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential=12.9 git=1:2.39.5-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV MIX_ENV=prod
RUN mix local.hex --force && mix local.rebar --force
COPY mix.exs mix.lock ./
RUN mix deps.get --only prod && mix deps.compile
COPY . .
RUN mix release

FROM debian:bookworm-20240612-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends openssl=3.0.15-1~deb12u1 locales=2.36-9+deb12u9 ca-certificates=20230311 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=10001:10001 /app/_build/prod/rel/app ./
USER 10001
CMD ["/app/bin/app", "start"]
