# E2E test runner with headless Chromium
FROM node:20.14.0-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        chromium=126.0.6478.126-1~deb12u1 \
        fonts-liberation=1:1.07.4-11 \
        libnss3=2:3.87.1-1 \
        xvfb=2:21.1.7-3+deb12u7 \
    && rm -rf /var/lib/apt/lists/*
ENV PUPPETEER_SKIP_DOWNLOAD=true \
    CHROME_BIN=/usr/bin/chromium
WORKDIR /e2e
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
USER 1000
CMD ["npx", "playwright", "test"]
