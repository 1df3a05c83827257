# Static site on nginx: feature-flags
FROM nginx:1.27.0-bookworm
WORKDIR /usr/share/nginx/html
COPY nginx.conf /etc/nginx/nginx.conf
ADD dist /usr/share/nginx/html
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
