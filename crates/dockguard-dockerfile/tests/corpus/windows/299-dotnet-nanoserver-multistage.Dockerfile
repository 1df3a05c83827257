# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0.302-windowsservercore-ltsc2022 AS build
WORKDIR C:\src
COPY *.sln .
COPY Api/*.csproj Api/
RUN dotnet restore
COPY . .
RUN dotnet publish Api/Api.csproj -c Release -o C:\publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0.6-nanoserver-ltsc2022
WORKDIR C:\app
COPY --from=build C:\publish .
USER ContainerUser
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
