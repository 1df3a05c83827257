# escape=`
FROM mcr.microsoft.com/windows/server:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
ENV NODE_VERSION=18.20.3
RUN Invoke-WebRequest -Uri "https://downloads.example.com/node/v$env:NODE_VERSION/node-v$env:NODE_VERSION-win-x64.zip" -OutFile node.zip; `
    Expand-Archive node.zip -DestinationPath C:\; `
    Rename-Item -Path "C:\node-v$env:NODE_VERSION-win-x64" -NewName C:\nodejs; `
    Remove-Item node.zip -Force; `
    [Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\nodejs', [EnvironmentVariableTarget]::Machine)
WORKDIR C:\app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev; `
    Get-ChildItem -Path C:\app\node_modules -Recurse -Filter *.md | Remove-Item -Force
COPY . .
USER ContainerUser
EXPOSE 3000
CMD ["node", "server.js"]
