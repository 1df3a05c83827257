FROM mcr.microsoft.com/windows/nanoserver:latest
COPY hello.exe C:/hello.exe
CMD ["C:\\hello.exe"]
