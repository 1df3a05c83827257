# SPA on nginx-alpine: ledger
FROM nginx:1.27.0-alpine3.19
LABEL org.opencontainers.image.title="ledger" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/ledger"
WORKDIR /usr/share/nginx/html
COPY dist/ /usr/share/nginx/html/
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s CMD wget -q --spider http://localhost:8080/ || exit 1
CMD ["nginx", "-g", "daemon off;"]
