# ASP.NET Core API: shipping
FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl libicu72 && \
    rm -rf /var/lib/apt/lists/* && \
    groupadd --system --gid 999 app && useradd --system --uid 999 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
ADD publish/ /app/
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
CMD ["--urls", "http://+:8080"]
