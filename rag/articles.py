"""The articles service: the one way the HTTP API, the chat page and the CLI add, delete, list and read articles.

Every write goes through the data folder's write lock (``Library.write_lock``), so an
upload on the page, a POST to the API and ``newsqa ingest`` in another process never
interleave; files are read lazily, a batch at a time, so memory does not grow with the
size of an upload.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence

from ingest.loaders import SUPPORTED, Loaded, load_file, load_paths, suffix_of
from ingest.pipeline import IngestReport, ingest_items

from .models import Article, ArticleInfo

Progress = Callable[[int, int], None]


@dataclass
class Upload:
    """A file sent by a user: its name as sent, and either a path on disk or an open binary stream."""

    name: str
    path: Path | None = None
    stream: BinaryIO | None = None


def ingest(library, items: Iterable[Loaded], progress: Progress | None = None, on_wait=None) -> IngestReport:
    """Store articles (under the write lock); bad items are skipped with a reason."""
    return ingest_items(library, items, progress, on_wait)


def ingest_paths(library, paths: Sequence[str], progress: Progress | None = None, on_wait=None) -> IngestReport:
    """Ingest files and folders from disk (``newsqa ingest``)."""
    return ingest_items(library, load_paths(paths), progress, on_wait)


def estimate_items(paths: Sequence[str]) -> int:
    """About how many articles these files hold (one per file, one per JSONL line), for a progress bar's total.

    Reads JSONL files once more, line by line and within the loaders' size caps; costs
    little next to embedding.
    """
    import gzip

    from ingest.loaders import MAX_DECOMPRESSED_BYTES, find_files

    total = 0
    for path, problem in find_files(paths):
        if problem:
            continue
        kind = suffix_of(path)
        if kind not in (".jsonl", ".jsonl.gz"):
            total += 1
            continue
        try:
            with (gzip.open if kind == ".jsonl.gz" else open)(path, "rb") as f:
                read = 0
                while block := f.read(1 << 20):
                    total += block.count(b"\n")
                    read += len(block)
                    if read > MAX_DECOMPRESSED_BYTES:
                        break
        except Exception:  # the loader reports the problem with this file when it reads it
            total += 1
    return total


def ingest_uploads(library, uploads: Sequence[Upload], max_bytes: int, progress: Progress | None = None) -> tuple[IngestReport, int]:
    """Ingest uploaded files; returns the report and how many files were of an unsupported type.

    Streams are copied into a private folder (mode 0700) under ``<data_dir>/uploads`` that is
    removed afterwards; each file is read one article at a time while it is ingested.
    """
    unsupported = sum(1 for u in uploads if suffix_of(Path(safe_name(u.name))) not in SUPPORTED)
    root = Path(library.settings.data_dir) / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root))  # mkdtemp makes it 0700
    try:
        return ingest_items(library, _upload_items(uploads, tmp, max_bytes), progress), unsupported
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _upload_items(uploads: Sequence[Upload], tmp: Path, max_bytes: int) -> Iterator[Loaded]:
    for i, up in enumerate(uploads):
        name = safe_name(up.name)
        kind = suffix_of(Path(name))
        if kind not in SUPPORTED:
            yield Loaded(name, skipped=f"unsupported file type {kind or '(none)'}; use one of {', '.join(SUPPORTED)}")
            continue
        path = up.path
        if up.stream is not None:
            path = tmp / f"{i}-{name}"
            if not _copy_capped(up.stream, path, max_bytes):
                yield Loaded(name, skipped=f"file over the {max_bytes // 2**20} MB upload limit", too_large=True)
                continue
        elif path is None or path.stat().st_size > max_bytes:
            yield Loaded(name, skipped=f"file over the {max_bytes // 2**20} MB upload limit", too_large=True)
            continue
        yield from load_file(Path(path), name=name)


def _copy_capped(stream: BinaryIO, path: Path, max_bytes: int) -> bool:
    """Copy a stream to a new private file; False (and no file) when it is over ``max_bytes``."""
    stream.seek(0)
    written = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while block := stream.read(1 << 20):
            written += len(block)
            if written > max_bytes:
                break
            out.write(block)
    if written > max_bytes:
        path.unlink(missing_ok=True)
        return False
    return True


def safe_name(filename: str | None) -> str:
    """A plain file name with no folders or odd characters, so it cannot point outside the upload folder."""
    import re

    name = (filename or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(" .")
    return name[:200] or "upload"


def delete(library, ids: Sequence[str]) -> list[str]:
    """Delete articles (and their chunks); returns the ids that existed."""
    return library.delete(list(ids))


def list_articles(library, q: str | None = None) -> list[ArticleInfo]:
    """Every article's metadata, newest first; ``q`` keeps those whose title, source or id contains it."""
    arts = library.store.list_articles()
    if q and q.strip():
        needle = q.strip().lower()
        arts = [a for a in arts if needle in a.title.lower() or needle in a.source.lower() or needle in a.id.lower()]
    return arts


def get(library, article_id: str) -> Article | None:
    """One article with its full text, or None."""
    return library.store.get_article(article_id)
