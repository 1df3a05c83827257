FROM ruby:3.3.3-slim-bookworm
WORKDIR /usr/src/app
ONBUILD COPY Gemfile Gemfile.lock /usr/src/app/
ONBUILD RUN bundle install --jobs 4
ONBUILD COPY . /usr/src/app/
USER 1000
CMD ["bundle", "exec", "rackup"]
