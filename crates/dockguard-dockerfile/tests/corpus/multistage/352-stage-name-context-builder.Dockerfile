FROM alpine:3.20.1 AS build-context
WORKDIR /ctx
COPY . .

FROM nginx:1.27.0-alpine3.19
COPY --from=build-context /ctx/public /usr/share/nginx/html
USER 101
