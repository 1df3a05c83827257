FROM alpine:3.20.1 AS context
WORKDIR /ctx
COPY . .
RUN find . -name '*.md' -delete

FROM nginx:1.27.0-alpine3.19
COPY --from=context /ctx/public /usr/share/nginx/html
USER 101
