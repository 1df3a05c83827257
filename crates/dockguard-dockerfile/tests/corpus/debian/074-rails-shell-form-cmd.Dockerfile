# Rails application: auth-gateway
FROM ruby:3.3.3-slim-bookworm
ENV RAILS_ENV=production \
    BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential=12.9 \
        libpq-dev=15.8-0+deb12u1 \
        libyaml-dev=0.2.5-1 \
        git=1:2.39.5-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN gem install bundler -v 2.5.11 --no-document \
    && bundle config set --local without 'development test' \
    && bundle install --jobs 4 --retry 3
COPY . .
USER 1001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:3000/healthz"]
CMD bundle exec puma -C config/puma.rb
