# escape=`
FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022
WORKDIR C:\inetpub\wwwroot
COPY publish/ .
HEALTHCHECK --interval=30s CMD powershell -command `
    try { `
      $response = Invoke-WebRequest http://localhost/health -UseBasicParsing; `
      if ($response.StatusCode -eq 200) { return 0 } else { return 1 } `
    } catch { return 1 }
