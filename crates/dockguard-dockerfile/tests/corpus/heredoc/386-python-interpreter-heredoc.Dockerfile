# syntax=docker/dockerfile:1.7
FROM python:3.12.4-slim-bookworm
WORKDIR /app
RUN python3 <<PY
import compileall, sys
ok = compileall.compile_dir('/usr/local/lib', quiet=1)
sys.exit(0 if ok else 1)
PY

COPY . .
USER 10001
CMD ["python3", "-m", "app"]
