# The bot in a container: `docker compose up -d` (compose.yaml), or
#   docker build -t souk-bot . && docker run --env-file .env -v souk-data:/data souk-bot
# Two stages: the build tools stay in the first; the image has Python, the bot and its
# dependencies (no dev extras), and runs as an unprivileged user.
FROM python:3.11-slim AS build
WORKDIR /src
# The dependencies first, read from pyproject.toml alone: a layer that a change to the code or
# the README does not invalidate, so a rebuild after an upgrade skips their install.
COPY pyproject.toml ./
RUN python -m venv /opt/souk \
    && python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > requirements.txt \
    && /opt/souk/bin/pip install --no-cache-dir --no-compile -r requirements.txt
COPY README.md ./
COPY bot ./bot
COPY storage ./storage
# pip and setuptools are not needed to run: removed from the venv (26 MB).
RUN /opt/souk/bin/pip install --no-cache-dir --no-compile --no-deps . \
    && /opt/souk/bin/pip uninstall --yes --quiet pip setuptools \
    && /opt/souk/bin/python -m compileall -q /opt/souk/lib

FROM python:3.11-slim
# The database and the daily backups share one volume, /data: a copy of the volume is a copy
# of everything. Time-zone data comes from the tzdata wheel (the bot reads no system zone
# files: bot/__init__.py).
ENV PATH=/opt/souk/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/data/bot.sqlite3 \
    BACKUP_DIR=/data/backups
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin souk \
    && mkdir -p /data /app \
    && chown souk:souk /data \
    && chmod 0700 /data
COPY --from=build /opt/souk /opt/souk
USER souk
# Not /data: the bot reads `.env` from its working folder, and the settings come from the
# environment here (compose.yaml's env_file, or `docker run --env-file`).
WORKDIR /app
VOLUME ["/data"]
# `python -m bot check`: settings, catalogue, the database read-only (schema, quick_check) and
# the heartbeat the bot writes every minute; exit 1 when unhealthy, with the reason.
HEALTHCHECK --interval=60s --timeout=30s --start-period=90s --retries=3 \
    CMD ["python", "-m", "bot", "check"]
CMD ["python", "-m", "bot"]
