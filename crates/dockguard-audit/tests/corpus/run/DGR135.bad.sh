# exec privileged (bad)
docker exec --privileged app sh
