# Huzzah: `docker build -t huzzah .` then
#   docker run -p 3000:3000 -e SLACK_BOT_TOKEN=… -e SLACK_SIGNING_SECRET=… -v huzzah-data:/data huzzah
# Set DATABASE_URL=postgresql://… to share one database between several instances: compose.yaml runs two
# behind a proxy, deploy/kubernetes/ has the manifests. Operations (upgrades, backups): docs/OPERATIONS.md.

# ---- build: the project and every dependency as wheels (nothing of this stage ships) ----
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
COPY migrations ./migrations
COPY huzzah ./huzzah
RUN pip wheel --no-cache-dir --wheel-dir /wheels -c constraints.txt .

# ---- runtime: the wheels installed offline, run as an unprivileged numeric user ----
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/huzzah.db \
    HUZZAH_CONFIG=/app/app.yaml \
    LOG_FORMAT=json
COPY --from=build /wheels /wheels
# hadolint ignore=DL3013
RUN pip install --no-cache-dir --no-index --find-links=/wheels huzzah \
    && rm -rf /wheels \
    && mkdir -p /data \
    && chown 10001:10001 /data
WORKDIR /app
COPY huzzah/templates/app.yaml ./app.yaml
USER 10001:10001
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
CMD ["huzzah", "serve", "--host", "0.0.0.0", "--port", "3000"]
