# ASP.NET Core on UBI 9: checkout
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
LABEL org.opencontainers.image.title="checkout" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/checkout"
RUN dnf install -y --nodocs aspnetcore-runtime-8.0-8.0.6 \
    && dnf clean all \
    && useradd --system --uid 1001 --user-group --no-create-home app
WORKDIR /app
COPY publish/ ./
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["dotnet", "Api.dll"]
CMD ["--urls", "http://+:8080"]
