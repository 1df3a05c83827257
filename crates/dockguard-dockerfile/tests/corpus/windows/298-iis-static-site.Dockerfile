# escape=`
FROM mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
RUN Remove-Item -Recurse -Force C:\inetpub\wwwroot\*
COPY site/ C:/inetpub/wwwroot/
EXPOSE 80
