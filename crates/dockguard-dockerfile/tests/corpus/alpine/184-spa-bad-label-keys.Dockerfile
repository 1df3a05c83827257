# SPA on nginx-alpine: ingest
FROM nginx:1.27.0-alpine3.19
LABEL com.docker.compose.project="ingest" \
      Version="1.5.0"
WORKDIR /usr/share/nginx/html
COPY dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
