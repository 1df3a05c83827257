from ubuntu:22.04
run apt-get update && apt-get install -y python3
copy . /opt/app
workdir opt/app
cmd python3 main.py
