# ASP.NET Core on UBI 9: shipping
FROM registry.access.redhat.com/ubi9/ubi:9.4-1123
RUN dnf install -y --nodocs aspnetcore-runtime-8.0 && \
    dnf clean all && \
    useradd --system --uid 999 --user-group --no-create-home app
WORKDIR /app
ADD publish/ /app/
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
CMD ["--urls", "http://+:8080"]
