"""The data folder as the OS sees it: creating it, one writer at a time, and calls that must not hang."""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

SERVER_TIMEOUT_S = 15.0  # seconds a Chroma server may take to answer before it counts as unreachable


class StoreError(RuntimeError):
    """The store is unreachable or holds vectors of another model."""


def ensure_data_dir(data_dir: Path) -> None:
    """Create the data folder (and its chroma/ folder), or say in one line why it cannot be used."""
    try:
        (Path(data_dir) / "chroma").mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"the data folder {data_dir} is not a folder (a file is in the way); set NEWSQA_DATA_DIR or --data-dir") from None
    except NotADirectoryError:
        raise StoreError(f"the data folder {data_dir} lies under a file, not a folder; set NEWSQA_DATA_DIR or --data-dir") from None
    except PermissionError:
        raise StoreError(f"no permission to create the data folder {data_dir}; set NEWSQA_DATA_DIR or --data-dir") from None
    except OSError as e:
        raise StoreError(f"cannot create the data folder {data_dir}: {e.strerror or e}") from None


def with_timeout(fn: Callable[[], Any], what: str, timeout: float = SERVER_TIMEOUT_S):
    """Run ``fn`` in a daemon thread; a server that accepts but never answers becomes a StoreError, not a hang."""
    box: dict[str, Any] = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as e:  # handed to the caller below
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise StoreError(f"{what} did not answer within {timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


class WriteLock:
    """One writer per data folder: an ``flock`` on ``<data_dir>/.write.lock``, re-entrant within a process.

    Two ingests at once would both embed everything and race on the generation counter;
    with the lock the second waits (``on_wait`` is told once), then finds the work done.
    """

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / ".write.lock"
        self._rlock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        with self._rlock:
            if self._depth == 0:
                self._acquire(on_wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    @contextmanager
    def try_hold(self) -> Iterator[bool]:
        """Like ``hold`` but never waits: yields False when another writer has the folder."""
        if not self._rlock.acquire(blocking=False):
            yield False
            return
        try:
            if self._depth == 0:
                try:
                    self._acquire(None, wait=False)
                except BlockingIOError:
                    yield False
                    return
            self._depth += 1
            try:
                yield True
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()
        finally:
            self._rlock.release()

    def _acquire(self, on_wait, wait: bool = True) -> None:
        ensure_data_dir(self.path.parent)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(f"cannot write in the data folder {self.path.parent}: {e.strerror or e}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                os.close(fd)
                raise
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


