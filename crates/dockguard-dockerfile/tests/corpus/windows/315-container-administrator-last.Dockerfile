# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
USER ContainerAdministrator
RUN New-Item -ItemType Directory -Path C:\data | Out-Null
WORKDIR C:\data
CMD ["powershell"]
