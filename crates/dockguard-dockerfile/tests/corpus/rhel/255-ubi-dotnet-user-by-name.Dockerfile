# ASP.NET Core on UBI 9: inventory
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install -y --nodocs aspnetcore-runtime-8.0-8.0.6 \
    && dnf clean all \
    && useradd --system --uid 10001 --user-group --no-create-home app
WORKDIR /app
COPY publish/ ./
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["dotnet", "Api.dll"]
CMD ["--urls", "http://+:8080"]
