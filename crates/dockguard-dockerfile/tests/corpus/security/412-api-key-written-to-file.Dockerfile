FROM alpine:3.20.1
ARG STRIPE_API_KEY
RUN mkdir -p /etc/app && echo "$STRIPE_API_KEY" > /etc/app/stripe.key
COPY bin/app /usr/local/bin/app
USER 10001
ENTRYPOINT ["/usr/local/bin/app"]
