# exec as root (good)
docker exec -u 10001 app sh
