# Static site on nginx: tenant-admin
FROM nginx:1.27.0-bookworm
WORKDIR /usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
COPY dist/ /usr/share/nginx/html/
USER 101
EXPOSE 80800
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/"]
CMD ["nginx", "-g", "daemon off;"]
