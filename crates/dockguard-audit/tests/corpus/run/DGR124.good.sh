# root user (good)
docker run \
  --cap-drop=ALL \
  --security-opt=no-new-privileges \
  --read-only \
  --tmpfs /tmp:rw,noexec,nosuid \
  --memory=256m \
  --cpus=1 \
  --pids-limit=100 \
  --network=app-net \
  --restart=on-failure:5 \
  -p 127.0.0.1:8080:8080 \
  -u 1000 \
  alpine:3.20 sleep 60
