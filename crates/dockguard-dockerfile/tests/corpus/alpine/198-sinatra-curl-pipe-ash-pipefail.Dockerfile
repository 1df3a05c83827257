# Sinatra app on Alpine: audit-log
FROM ruby:3.3.3-alpine3.20
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN apk add --no-cache --virtual .build-deps build-base=0.5-r3 postgresql-dev=16.4-r0 && \
    apk add --no-cache libpq=16.4-r0 tzdata=2024b-r0 && \
    apk del .build-deps && \
    addgroup -S -g 1000 app && adduser -S -D -H -u 1000 -G app app
ARG TOOL_VERSION=3.15.2
RUN curl -fsSL "https://downloads.example.com/tools/v${TOOL_VERSION}/tool-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin tool
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN gem install bundler:2.5.11 --no-document \
    && bundle config set --local without 'development test' \
    && bundle install --jobs 4 --retry 3
COPY . .
USER 1000
EXPOSE 4567
CMD ["bundle", "exec", "rackup", "--host", "0.0.0.0", "-p", "4567"]
