FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR /tools
COPY tools/ .
USER ContainerUser
CMD ["cmd"]
