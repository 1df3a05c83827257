FROM ubuntu:24.04
# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y texlive-latex-base pandoc && rm -rf /var/lib/apt/lists/*
WORKDIR /docs
COPY . .
RUN pandoc README.md -o README.pdf
USER 10001
CMD ["pandoc", "--version"]
