# ASP.NET Core API: billing
FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u7 libicu72=72.1-3 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 10002 app && useradd --system --uid 10002 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY publish/ ./
USER 10002
EXPOSE 8080
ENTRYPOINT dotnet Api.dll
CMD --urls http://+:8080
