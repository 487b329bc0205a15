#!/usr/bin/env bash
# The demo on a fresh machine: `make demo-setup` on a throw-away SQLite file with ffmpeg, ffprobe and
# chromium hidden from PATH, then the log-in page and every demo role's home page over real HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A PATH with everything the current one has except the tools only the tests install.
hidden="$work/bin"
mkdir -p "$hidden"
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  for tool in "$dir"/*; do
    name=${tool##*/}
    case "$name" in ffmpeg|ffprobe|chromium|chromium-browser|google-chrome|chrome) continue ;; esac
    [ -e "$hidden/$name" ] || ln -s "$tool" "$hidden/$name"
  done
done
for tool in ffmpeg ffprobe chromium; do
  if PATH="$hidden" command -v "$tool" >/dev/null; then echo "demo-check: $tool is still on PATH" >&2; exit 1; fi
done

export PATH="$hidden" INNOCASE_VAR_DIR="$work/var" DEBUG=true SMS_BACKEND=console
unset DATABASE_URL REDIS_URL
password="demo-check-$RANDOM$RANDOM"
mkdir -p "$INNOCASE_VAR_DIR"
start=$(date +%s)
make --no-print-directory demo-setup DEMO_PASSWORD="$password" >"$work/seed.log" 2>&1 || {
  tail -n 40 "$work/seed.log" >&2; exit 1; }
echo "demo-check: demo set up in $(( $(date +%s) - start )) s without ffmpeg, ffprobe or chromium"

port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/python manage.py runserver --noreload "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
.venv/bin/python scripts/demo_check.py "http://127.0.0.1:$port" "$password" || {
  tail -n 40 "$work/server.log" >&2; exit 1; }
