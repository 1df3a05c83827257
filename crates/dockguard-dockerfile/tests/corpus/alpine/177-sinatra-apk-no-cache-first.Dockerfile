# Sinatra app on Alpine: feature-flags
FROM ruby:3.3.3-alpine3.20
RUN apk add --no-cache --virtual .build-deps build-base=0.5-r3 postgresql-dev=16.4-r0 \
    && apk --no-cache add libpq=16.4-r0 tzdata=2024b-r0 \
    && apk del .build-deps \
    && addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN gem install bundler -v 2.5.11 --no-document \
    && bundle config set --local without 'development test' \
    && bundle install --jobs 4 --retry 3
COPY . .
USER 10001
EXPOSE 4567
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:4567/healthz"]
CMD ["bundle", "exec", "rackup", "--host", "0.0.0.0", "-p", "4567"]
