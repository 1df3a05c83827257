# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
RUN Set-ExecutionPolicy Bypass -Scope Process -Force; `
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; `
    Invoke-Expression ((New-Object System.Net.WebClient).DownloadString('https://downloads.example.com/chocolatey/install.ps1'))
RUN choco install -y git --version 2.45.2
RUN choco install -y cmake --version 3.29.6 --installargs 'ADD_CMAKE_TO_PATH=System'
RUN choco install -y nodejs-lts --version 20.14.0
WORKDIR C:\build
CMD ["powershell"]
