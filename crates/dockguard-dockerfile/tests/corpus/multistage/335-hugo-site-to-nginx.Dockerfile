FROM hugomods/hugo:exts-0.128.0 AS build
WORKDIR /src
COPY . .
RUN hugo --minify --destination /public

FROM nginxinc/nginx-unprivileged:1.27.0-alpine3.19
COPY --from=build /public /usr/share/nginx/html
EXPOSE 8080
