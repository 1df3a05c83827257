# Static site on nginx: notifier
FROM nginx:1.27.0-bookworm
WORKDIR /usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
COPY dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8080/ || exit 1
CMD ["nginx", "-g", "daemon off;"]
