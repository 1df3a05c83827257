# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY version.txt C:\app\version.txt
RUN type C:\app\version.txt | findstr /R "^v[0-9]"
WORKDIR C:\app
CMD ["cmd", "/C", "type", "version.txt"]
