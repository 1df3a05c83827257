# Sinatra app on Alpine: checkout
FROM ruby:3.3.3-alpine3.20
RUN apk add --no-cache --virtual .build-deps build-base postgresql-dev \
    && apk add --no-cache libpq tzdata \
    && apk del .build-deps
WORKDIR /app
COPY . .
RUN gem install bundler && bundle install
EXPOSE 4567
CMD ["bundle", "exec", "rackup", "--host", "0.0.0.0", "-p", "4567"]
