# exec privileged (good)
docker exec -it app sh
