# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
ENV NODE_VERSION=20.14.0
RUN Invoke-WebRequest -Uri "https://downloads.example.com/node/v$env:NODE_VERSION/node-v$env:NODE_VERSION-win-x64.zip" -OutFile node.zip; `
    Expand-Archive node.zip -DestinationPath C:\; `
    Rename-Item -Path "C:\node-v$env:NODE_VERSION-win-x64" -NewName C:\nodejs; `
    Remove-Item node.zip -Force; `
    [Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\nodejs', [EnvironmentVariableTarget]::Machine)
WORKDIR C:\app
RUN npm install -g yarn@1.22.22
CMD ["node"]
