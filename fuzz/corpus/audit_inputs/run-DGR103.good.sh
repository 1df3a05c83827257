# dangerous capability (good)
docker run \
  --cap-drop=ALL \
  --security-opt=no-new-privileges \
  --read-only \
  --tmpfs /tmp:rw,noexec,nosuid \
  --memory=256m \
  --cpus=1 \
  --pids-limit=100 \
  --user=10001:10001 \
  --network=app-net \
  --restart=on-failure:5 \
  -p 127.0.0.1:8080:8080 \
  --cap-add=NET_BIND_SERVICE \
  alpine:3.20 sleep 60
