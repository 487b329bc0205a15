"""Read an MP4's streams with PyAV (FFmpeg's libraries, shipped inside the `av` wheel), in a child process.

`probe(path)` answers what the video check needs, in the shape ffprobe's JSON has
(`{"streams": [{"codec_type", "codec_name", "width", "height", …}], "format": {"duration"}}`), or None when the
file cannot be read. The parsing runs in a separate Python process with a time and memory limit: a hostile
file that makes the demuxer hang or crash kills only that process, never a web worker. No system binary is
needed, so a fresh machine with only Python checks videos as production does.

Run as a script (`python videoprobe.py <path>`) it prints that JSON; it imports nothing but PyAV and the
standard library, so the child starts in isolated mode (`-I`) and reads no project code.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

TIMEOUT = 30  # seconds
MEMORY_BYTES = 1024 * 1024 * 1024  # address space of the child: demuxing headers needs a small part of this


def _limit() -> None:  # pragma: no cover - runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def probe(path: str) -> dict | None:
    """The streams and duration of the MP4 at `path`, or None when it cannot be read in TIMEOUT seconds."""
    command = [sys.executable, "-I", str(Path(__file__).resolve()), path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, shell=False,
                              preexec_fn=_limit)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    try:
        answer = json.loads(done.stdout.decode("utf-8", "replace"))
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _rate(value) -> str:
    return f"{value.numerator}/{value.denominator}" if value else ""


def _describe(path: str) -> dict:
    import av

    # Only local files, and only the MP4/QuickTime demuxer: a file cannot make FFmpeg open another URL.
    with av.open(path, format="mp4", options={"protocol_whitelist": "file"}) as container:
        streams = []
        for stream in container.streams:
            context = stream.codec_context
            entry = {"codec_type": stream.type, "codec_name": context.name if context else ""}
            if stream.type == "video":
                entry.update(
                    width=context.width, height=context.height, profile=context.profile or "",
                    pix_fmt=context.format.name if context.format else "",
                    avg_frame_rate=_rate(stream.average_rate),
                    disposition={"attached_pic": int(bool(stream.disposition & av.stream.Disposition.attached_pic))},
                )
            streams.append(entry)
        duration = container.duration / av.time_base if container.duration else 0
        return {"streams": streams, "format": {"duration": str(duration)}}


if __name__ == "__main__":  # pragma: no cover - the child process
    if len(sys.argv) != 2:
        sys.exit(2)
    try:
        print(json.dumps(_describe(sys.argv[1])))
    except Exception:  # any failure to read is "unreadable" to the caller
        sys.exit(1)
