# SPA on nginx-alpine: inventory
FROM nginx:1.27.0-alpine3.19
WORKDIR /usr/share/nginx/html
ADD dist/ /usr/share/nginx/html/
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
