#!/usr/bin/env bash
# Build the image from what git has committed (as a fresh clone would), start it against the
# fake Bot API (localbotapi) and wait until `python -m bot check` inside it says
# healthy; then print the image's size. Without a container engine whose daemon answers
# (docker, or podman) it says so in one line and exits 0.
#   scripts/container_smoke.sh            PYTHON=path/to/python to run the fake (default .venv)
#   CONTAINER_BUILD_NETWORK=host scripts/container_smoke.sh
#       the build's network (`build --network`), for a daemon without a default bridge
#       (dockerd --bridge=none): `pip install` in the Dockerfile needs PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

engine=""
for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
        engine=$candidate
        break
    fi
done
if [ -z "$engine" ]; then
    echo "container smoke test skipped: no container engine here (docker or podman with its daemon)"
    exit 0
fi

python=${PYTHON:-.venv/bin/python}
tag=souk-bot:smoke
name=souk-bot-smoke-$$
src=$(mktemp -d)
url_file=$(mktemp)
fake_pid=""
cleanup() {
    "$engine" rm -f "$name" >/dev/null 2>&1 || true
    if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
    rm -rf "$src" "$url_file"
}
trap cleanup EXIT

build_options=()
if [ -n "${CONTAINER_BUILD_NETWORK:-}" ]; then
    build_options=(--network "$CONTAINER_BUILD_NETWORK")
fi
git archive HEAD | tar -x -C "$src"
"$engine" build --quiet ${build_options[@]+"${build_options[@]}"} -t "$tag" "$src" >/dev/null
echo "built $tag from $(git rev-parse --short HEAD)"

# The fake Bot API on 127.0.0.1 for ten minutes at most; the container shares the host's
# network to reach it.
"$python" -c '
import sys, time
from localbotapi import FakeTelegram
fake = FakeTelegram(token="123456:SMOKE-TOKEN").start()
print(fake.base_url, flush=True)
time.sleep(600)
' >"$url_file" &
fake_pid=$!
for _ in $(seq 50); do [ -s "$url_file" ] && break; sleep 0.2; done
url=$(head -n 1 "$url_file")

"$engine" run -d --name "$name" --network host \
    -e BOT_TOKEN=123456:SMOKE-TOKEN -e BOT_API_BASE_URL="$url" "$tag" >/dev/null
healthy=""
for _ in $(seq 30); do
    if line=$("$engine" exec "$name" python -m bot check 2>&1); then
        healthy=$line
        break
    fi
    sleep 2
done
if [ -z "$healthy" ]; then
    echo "the container never became healthy; last check: $line" >&2
    "$engine" logs --tail 30 "$name" >&2 || true
    exit 1
fi
echo "container: $healthy"
user=$("$engine" exec "$name" id -u)
[ "$user" != 0 ] || { echo "the container runs as root" >&2; exit 1; }
size=$("$engine" image inspect "$tag" --format '{{.Size}}')
echo "image size: $(((size + 500000) / 1000000)) MB ($tag)"  # rounded as `docker image ls`
