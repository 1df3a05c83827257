# escape=`
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
RUN Import-Module WebAdministration; `
    Set-ItemProperty 'IIS:\AppPools\DefaultAppPool' -Name processModel.identityType -Value ApplicationPoolIdentity; `
    Remove-Item -Recurse -Force C:\inetpub\wwwroot\*
WORKDIR C:\inetpub\wwwroot
COPY publish/ .
EXPOSE 80
HEALTHCHECK --interval=30s CMD ["powershell", "-Command", "try { $r = Invoke-WebRequest http://localhost/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }"]
