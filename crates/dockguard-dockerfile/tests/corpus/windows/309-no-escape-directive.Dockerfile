# Without the escape directive a trailing backslash is a continuation,
# so Windows paths here never end a line with one.
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
WORKDIR C:/app
COPY app.ps1 C:/app/app.ps1
CMD ["powershell", "-File", "C:/app/app.ps1"]
