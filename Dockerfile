# Huzzah: `docker build -t huzzah .` then
#   docker run -p 3000:3000 -e SLACK_BOT_TOKEN=… -e SLACK_SIGNING_SECRET=… -v huzzah-data:/data huzzah
# Set DATABASE_URL=postgresql://… to share one database between several instances.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/huzzah.db \
    HUZZAH_CONFIG=/app/app.yaml \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY huzzah/templates/app.yaml ./app.yaml
COPY bot ./bot
COPY adapters ./adapters
COPY storage ./storage
COPY migrations ./migrations
COPY huzzah ./huzzah
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 huzzah \
    && mkdir -p /data && chown huzzah /data

USER huzzah
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"
CMD ["huzzah", "serve", "--host", "0.0.0.0", "--port", "3000"]
