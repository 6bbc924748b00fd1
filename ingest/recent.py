"""A small thread-safe map that keeps the most recently used entries (an LRU of bounded size)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Iterable, Sequence, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """At most ``size`` entries; reading one makes it recent, adding past the size drops the oldest."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def pick(self, keys: Iterable[K]) -> dict[K, V]:
        """The entries held for these keys (the others are left out)."""
        with self._lock:
            out = {k: self._items[k] for k in keys if k in self._items}
            for k in out:
                self._items.move_to_end(k)
            return out

    def put(self, key: K, value: V) -> None:
        self.update({key: value})

    def update(self, items: dict[K, V]) -> None:
        with self._lock:
            for k, v in items.items():
                self._items[k] = v
                self._items.move_to_end(k)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def through(self, keys: Sequence[K], read: Callable[[list[K]], dict[K, V]]) -> dict[K, V]:
        """The entries for these keys: those held, and the others from ``read(missing keys)``, kept from then on
        (keys ``read`` does not return are left out)."""
        out = self.pick(keys)
        missing = [k for k in keys if k not in out]
        if missing:
            got = read(missing)
            self.update(got)
            out.update(got)
        return out

    def __len__(self) -> int:
        return len(self._items)
