FROM registry.example.com/platform/python-onbuild:3.12
ENV APP_MODULE=orders.main:app
USER 10001
EXPOSE 8000
