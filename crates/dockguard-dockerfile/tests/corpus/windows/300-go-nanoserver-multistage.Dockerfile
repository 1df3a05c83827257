# escape=`
FROM golang:1.22.4-windowsservercore-ltsc2022 AS build
WORKDIR C:\src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o C:\out\server.exe .\cmd\server

FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY --from=build C:\out\server.exe C:\app\server.exe
USER ContainerUser
ENTRYPOINT ["C:\\app\\server.exe"]
