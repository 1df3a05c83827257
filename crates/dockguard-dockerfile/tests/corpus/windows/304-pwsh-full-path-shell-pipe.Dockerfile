# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY --from=mcr.microsoft.com/powershell:7.4-windowsservercore-ltsc2022 ["C:\\Program Files\\PowerShell", "C:\\Program Files\\PowerShell"]
SHELL ["C:\\Program Files\\PowerShell\\pwsh.exe", "-Command"]
RUN Get-ChildItem Env: | Sort-Object Name | Out-File C:\build-env.txt
CMD ["pwsh"]
