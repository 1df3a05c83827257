FROM mcr.microsoft.com/dotnet/sdk:8.0.302-alpine3.20 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-alpine3.20
WORKDIR /app
COPY --from=build /out .
USER $APP_UID
ENTRYPOINT ["dotnet", "Worker.dll"]
