# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["pwsh", "-NoLogo", "-Command"]
RUN Get-ChildItem Env: | Sort-Object Name | Out-File C:\build-env.txt
CMD ["pwsh"]
