# Static site on nginx: media-resizer
FROM nginx:1.27.0-bookworm
WORKDIR /usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
COPY dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
