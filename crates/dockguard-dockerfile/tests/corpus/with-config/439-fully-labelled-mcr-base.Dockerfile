FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim
LABEL maintainer="platform@example.com" \
      org.opencontainers.image.title="ledger" \
      org.opencontainers.image.source="https://git.example.com/acme/ledger" \
      org.opencontainers.image.created="2024-06-12T09:30:00Z" \
      org.opencontainers.image.licenses="GPL-3.0-or-later" \
      org.opencontainers.image.revision="3f2a9c1" \
      org.opencontainers.image.version="2.0.0-rc.1+build.5"
WORKDIR /app
COPY publish/ .
HEALTHCHECK CMD ["dotnet", "Ledger.dll", "--health"]
USER 1654
ENTRYPOINT ["dotnet", "Ledger.dll"]
