ARG RUBY_VERSION=3.3.3
FROM ruby:${RUBY_VERSION}-slim-bookworm AS base
WORKDIR /rails
ENV RAILS_ENV=production \
    BUNDLE_WITHOUT=development:test

FROM base AS build
RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y build-essential=12.9 git=1:2.39.5-0+deb12u1 libpq-dev=15.8-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*
COPY Gemfile Gemfile.lock ./
RUN bundle install && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache
COPY . .
RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile

FROM base
RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y curl=7.88.1-10+deb12u7 libjemalloc2=5.3.0-1 libpq5=15.8-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /rails /rails
RUN groupadd --system --gid 1000 rails \
    && useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash
USER 1000:1000
EXPOSE 3000
CMD ["./bin/rails", "server"]
