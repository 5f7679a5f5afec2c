# calbot for hosts that run containers. Build and run (state lives in the /data volume):
#   docker build -t calbot .
#   docker run --env-file calbot.env -p 3000:3000 -v calbot-data:/data calbot
# The Python minor is the one in .python-version (a test keeps the two the same).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000 \
    DATABASE_PATH=/data/calbot.db

# An unprivileged user owns the only writable place, the database's volume.
RUN groupadd --gid 10001 calbot \
    && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin calbot \
    && mkdir /data \
    && chown 10001:10001 /data

WORKDIR /app
# requirements.txt is generated from pyproject.toml; its last line installs this project.
COPY requirements.txt pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir -r requirements.txt

USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000

# /healthz answers {"ok": true} once the app has started (the slim image has no curl);
# any failure raises, and Python exits 1: unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

CMD ["calbot", "serve"]
