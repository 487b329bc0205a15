#!/usr/bin/env bash
# Start a local Redis when none answers (the tests of the Redis rate limits and vote counters); install it
# from Debian's packages when it is missing. It keeps nothing on disk.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-6379}
python3 - "$host" "$port" <<'PY' && exit 0
import socket, sys
try:
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1) as s:
        s.sendall(b"PING\r\n")
        sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
PY
echo "Redis is down on $host:$port; starting it"
if ! command -v redis-server >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
redis-server --bind "$host" --port "$port" --save "" --appendonly no --daemonize yes
for _ in $(seq 1 30); do
  python3 -c "import socket,sys; socket.create_connection(('$host', $port), timeout=1)" 2>/dev/null && exit 0
  sleep 1
done
echo "Redis did not come up on $host:$port" >&2
exit 1
