# Rails application: metrics-proxy
FROM ruby:3.3.3-slim-bookworm
ENV APP_HOME=/srv/metrics-proxy
ENV APP_CONFIG=${APP_HOME}/config.yaml \
    PATH=${APP_HOME}/bin:$PATH
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        build-essential=12.9 \
        libpq-dev=15.8-0+deb12u1 \
        libyaml-dev=0.2.5-1 \
        git=1:2.39.5-0+deb12u1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 65532 app && useradd --system --uid 65532 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN gem install bundler:2.5.11 --no-document \
    && bundle config set --local without 'development test' \
    && bundle install --jobs 4 --retry 3
COPY . .
USER 65532
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
