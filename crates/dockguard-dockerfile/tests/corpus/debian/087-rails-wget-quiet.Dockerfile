# Rails application: shipping
FROM ruby:3.3.3-slim-bookworm
LABEL org.opencontainers.image.title="shipping" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/shipping"
ENV RAILS_ENV=production \
    BUNDLE_DEPLOYMENT=1 \
    BUNDLE_PATH=/usr/local/bundle
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
        build-essential=12.9 \
        libpq-dev=15.8-0+deb12u1 \
        libyaml-dev=0.2.5-1 \
        git=1:2.39.5-0+deb12u1 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 999 app && useradd --system --uid 999 --gid app --no-create-home --shell /usr/sbin/nologin app
ARG TOOL_VERSION=2.4.0
RUN wget -q -O /tmp/tool.tar.gz "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" && \
    tar -xzf /tmp/tool.tar.gz -C /usr/local/bin tool && \
    rm -f /tmp/tool.tar.gz
WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN gem install bundler:2.5.11 --no-document \
    && bundle config set --local without 'development test' \
    && bundle install --jobs 4 --retry 3
COPY . .
USER 999
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
