# exec as root (bad)
docker container exec -it \
  -u root app sh
