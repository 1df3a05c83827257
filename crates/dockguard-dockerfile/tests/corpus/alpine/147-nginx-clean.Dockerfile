# SPA on nginx-alpine: catalog
FROM nginx:1.27.0-alpine3.19
WORKDIR /usr/share/nginx/html
COPY dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["wget", "-q", "--spider", "http://localhost:8080/"]
CMD ["nginx", "-g", "daemon off;"]
