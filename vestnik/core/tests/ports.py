"""Free ports for the servers tests start (app processes, nginx, the stand-ins for Telegram and
push services), from VESTNIK_TEST_LIVE_PORTS ("8150-8199", inclusive; settings/test.py gives
each pytest-xdist worker its own slice)."""

import os
import socket


def ports() -> range:
    first, _, last = os.environ.get("VESTNIK_TEST_LIVE_PORTS", "8150-8199").partition("-")
    return range(int(first), int(last or first) + 1)


def free_ports(count: int = 1, *, skip=(), from_top: bool = False) -> list[int]:
    """`count` ports nothing listens on; stand-ins take theirs `from_top`, as live servers take
    theirs from the bottom, so the two never race for one."""
    span = ports()
    free = []
    for port in reversed(span) if from_top else span:
        if port in skip:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        free.append(port)
        if len(free) == count:
            return free
    raise RuntimeError(f"no free ports in {span.start}–{span.stop - 1} (VESTNIK_TEST_LIVE_PORTS)")


def free_port(*, skip=(), from_top: bool = False) -> int:
    return free_ports(1, skip=skip, from_top=from_top)[0]
