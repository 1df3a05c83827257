# syntax=docker/dockerfile:1.7
FROM python:3.12.4-slim-bookworm
RUN python3 <<PY
import pathlib
pathlib.Path('/srv/app').mkdir(parents=True)
PY
RUN pip install --no-cache-dir gunicorn==22.0.0
USER 10001
