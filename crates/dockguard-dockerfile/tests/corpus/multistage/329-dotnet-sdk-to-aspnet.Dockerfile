FROM mcr.microsoft.com/dotnet/sdk:8.0.302-bookworm-slim AS build
WORKDIR /src
COPY ["Api/Api.csproj", "Api/"]
RUN dotnet restore "Api/Api.csproj"
COPY . .
RUN dotnet publish "Api/Api.csproj" -c Release -o /app/publish /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-bookworm-slim AS final
WORKDIR /app
COPY --from=build /app/publish .
USER 1654
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
