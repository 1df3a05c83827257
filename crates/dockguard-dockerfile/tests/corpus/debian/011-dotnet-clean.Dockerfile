# ASP.NET Core API: checkout
FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim
LABEL org.opencontainers.image.title="checkout" \
      org.opencontainers.image.vendor="Example Corp" \
      org.opencontainers.image.source="https://git.example.com/acme/checkout"
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 libicu72=72.1-3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 1001 app && useradd --system --uid 1001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY publish/ ./
USER 1001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["curl", "-fsS", "http://localhost:8080/healthz"]
ENTRYPOINT ["dotnet", "Api.dll"]
CMD ["--urls", "http://+:8080"]
