# escape=`
FROM mcr.microsoft.com/windows/servercore
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
WORKDIR C:\app
COPY . .
CMD ["powershell", "-File", "run.ps1"]
