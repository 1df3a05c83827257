# Rails application: geo-lookup
FROM ruby:3.3.3-slim-bookworm
ENV RAILS_ENV=production \
    BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        libyaml-dev \
        git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /rails
COPY . .
RUN gem install bundler && bundle install
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
