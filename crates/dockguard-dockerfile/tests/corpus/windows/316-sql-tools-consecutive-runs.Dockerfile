# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
RUN Invoke-WebRequest https://downloads.example.com/sqlcmd/sqlcmd-amd64.zip -OutFile sqlcmd.zip
RUN Expand-Archive sqlcmd.zip -DestinationPath C:\sqlcmd
RUN Remove-Item sqlcmd.zip
ENV PATH="C:\sqlcmd;C:\Windows\system32;C:\Windows"
CMD ["sqlcmd", "-?"]
