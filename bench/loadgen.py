"""A bounded HTTP/1.1 load generator for bench/vote_load: a fixed number of keep-alive connections on one
asyncio loop, in a process of its own (it shares no GIL with the server or with the benchmark driving it).

Requests are prebuilt bytes. A phase runs for a fixed time and at most through a fixed list: each connection
sends its next request as soon as the previous response is read (a closed loop), so the concurrency is
bounded by the number of connections. Every response's status, X-Vote-Outcome header and latency (from
sending the request to reading the whole response) is returned, by the request's position in the list.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass


@dataclass
class Phase:
    """What one phase did: `results[n]` is (status, outcome, latency s) of request `start + n`; status 0
    means no response (the connection failed while the request was out)."""

    start: int
    elapsed: float
    results: list[tuple[int, str, float]]

    @property
    def rate(self) -> float:
        return len(self.results) / self.elapsed


class LoadGenerator:
    """The generator's process. `plan(name, requests)` hands it a list under a name; `run(name, ...)` plays
    part of it (or its requests over and over, with cycle=True) and returns the Phase. The process is
    spawned, which imports the calling script again: its work must sit under `if __name__ == "__main__"`
    (bench/run.py's does)."""

    def __init__(self, host: str, port: int, connections: int):
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited DB sockets
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, host, port, connections), daemon=True)
        self._process.start()
        theirs.close()

    @property
    def pid(self) -> int:
        return self._process.pid

    def plan(self, name: str, requests: list[bytes]) -> None:
        self._ask(("plan", name, requests))

    def run(self, name: str, *, start: int = 0, seconds: float, cycle: bool = False) -> Phase:
        return self._ask(("run", name, start, seconds, cycle))

    def close(self) -> None:
        try:
            self._pipe.send(("stop",))
        except OSError:
            pass
        self._process.join(5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)

    def _ask(self, message):
        self._pipe.send(message)
        answer = self._pipe.recv()
        if isinstance(answer, Exception):
            raise answer
        return answer


def _serve(pipe, host: str, port: int, connections: int) -> None:
    plans: dict[str, list[bytes]] = {}
    while True:
        message = pipe.recv()
        try:
            if message[0] == "stop":
                return
            if message[0] == "plan":
                _kind, name, requests = message
                plans[name] = requests
                pipe.send(None)
            elif message[0] == "run":
                _kind, name, start, seconds, cycle = message
                pipe.send(asyncio.run(_phase(host, port, connections, plans[name], start, seconds, cycle)))
        except Exception as exc:  # noqa: BLE001 - handed to the driver, which raises it
            pipe.send(RuntimeError(f"load generator: {exc!r}"))


async def _phase(host, port, connections, requests, start, seconds, cycle) -> Phase:
    total = len(requests)
    cursor = start
    results: dict[int, tuple[int, str, float]] = {}
    streams = [await asyncio.open_connection(host, port) for _n in range(connections)]
    began = time.perf_counter()
    deadline = began + seconds

    async def drive(reader, writer):
        nonlocal cursor
        while time.perf_counter() < deadline and (cycle or cursor < total):
            n = cursor
            cursor += 1
            sent = time.perf_counter()
            try:
                writer.write(requests[n % total])
                status, outcome, close = await _response(reader)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError, IndexError):
                results[n] = (0, "", time.perf_counter() - sent)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            results[n] = (status, outcome, time.perf_counter() - sent)
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
        writer.close()

    await asyncio.gather(*(drive(r, w) for r, w in streams))
    elapsed = time.perf_counter() - began
    return Phase(start=start, elapsed=elapsed, results=[results[n] for n in range(start, cursor)])


async def _response(reader) -> tuple[int, str, bool]:
    """(status, X-Vote-Outcome, whether the server closes the connection); the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked, outcome, close = 0, False, "", False
    for line in lines[1:]:
        name, _colon, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"x-vote-outcome":
            outcome = value.strip().decode()
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, outcome, close
