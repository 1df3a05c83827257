#!/bin/sh
set -e
sudo docker -H unix:///run/docker.sock container create -dit --rm -uroot -p80:80 --name web nginx:1.27 && echo ok
docker run --privileged=false -itP alpine:3.20 sh -c 'docker run --privileged x'
echo docker run --privileged  # echo only prints it: not an invocation
