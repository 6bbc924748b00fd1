"""Evaluation datasets: a folder with a corpus and question files (the format is in evals/README.md)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

CORPUS_FILES = ("articles.jsonl", "articles.jsonl.gz")
QUESTIONS_FILE = "questions.jsonl"
UNANSWERABLE_FILE = "unanswerable.jsonl"


class DatasetError(ValueError):
    """A dataset folder that cannot be evaluated, and why."""


class Question(BaseModel):
    """One evaluation question; ``answer`` is None for unanswerable ones."""

    model_config = {"extra": "allow"}  # keep dataset-specific fields (date, choices, …) in the records

    id: str
    question: str
    answer: str | None = None
    must_contain: list[str] = Field(default_factory=list)
    date: str | None = None  # the day the question was asked (YYYY-MM-DD): it is answered as of that day

    @property
    def answerable(self) -> bool:
        return self.answer is not None


@dataclass
class Dataset:
    """A corpus file plus answerable and unanswerable questions."""

    name: str
    path: Path
    corpus: Path
    questions: list[Question] = field(default_factory=list)
    unanswerable: list[Question] = field(default_factory=list)
    _items: list | None = field(default=None, repr=False, compare=False)

    def corpus_items(self) -> list:
        """The corpus's articles as loaded for ingest (``Loaded`` items), read from disk once however often asked:
        the store is filled from them and the report's recent-article check reads them too."""
        if self._items is None:
            from ingest.loaders import load_paths

            self._items = list(load_paths([self.corpus]))
        return self._items

    def limited(self, limit: int | None) -> "Dataset":
        """The first ``limit`` answerable and first ``limit`` unanswerable questions."""
        if not limit:
            return self
        return Dataset(self.name, self.path, self.corpus, self.questions[:limit], self.unanswerable[:limit], self._items)

    def borrowed_unanswerable(self, other: "Dataset") -> list[Question]:
        """The other dataset's answerable questions whose gold answer occurs in no article of this corpus, as
        unanswerable questions here (ids prefixed with the other dataset's name; each keeps its date).

        Questions of other weeks whose answer this corpus never mentions: the right response is to abstain.
        It is how ``unanswerable.jsonl`` of the dev set was made, so one set's questions measure abstention
        over another's corpus on many more questions than a folder ships. DatasetError when ``other`` is this one."""
        from rag.text import normalise_answer

        if other.path.resolve() == self.path.resolve():
            raise DatasetError(f"--unanswerable-from {other.path} is the dataset itself: the evaluated dataset itself "
                               "holds the answers to its questions; name another one")
        texts = "\n".join(f" {normalise_answer(i.article.title + ' ' + i.article.text)} " for i in self.corpus_items() if i.article)
        out = []
        for q in other.questions:
            gold = normalise_answer(q.answer or "")
            if gold and f" {gold} " not in texts:
                out.append(Question(id=f"{other.name}:{q.id}", question=q.question, date=q.date, note=f"gold {q.answer!r} of {other.name} occurs nowhere in this corpus"))
        return out


def load_dataset(path: str | Path) -> Dataset:
    """Read a dataset folder; DatasetError says what is missing or malformed."""
    path = Path(path)
    if not path.is_dir():
        raise DatasetError(f"{path} is not a folder")
    corpus = next((path / f for f in CORPUS_FILES if (path / f).is_file()), None)
    if corpus is None:
        raise DatasetError(f"{path} has no {' or '.join(CORPUS_FILES)}")
    questions = _read_questions(path / QUESTIONS_FILE, answerable=True)
    unanswerable = _read_questions(path / UNANSWERABLE_FILE, answerable=False)
    if not questions and not unanswerable:
        raise DatasetError(f"{path} has neither {QUESTIONS_FILE} nor {UNANSWERABLE_FILE} with questions")
    ids = [q.id for q in questions + unanswerable]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DatasetError(f"{path}: question ids used twice: {', '.join(dupes[:5])}")
    return Dataset(path.resolve().name, path, corpus, questions, unanswerable)


def _read_questions(file: Path, answerable: bool) -> list[Question]:
    if not file.is_file():
        return []
    out = []
    opener = gzip.open if file.name.endswith(".gz") else open
    with opener(file, "rt", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                q = Question.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as e:
                raise DatasetError(f"{file}:{lineno}: {str(e).splitlines()[0]}") from None
            if answerable and not (q.answer or "").strip():
                raise DatasetError(f"{file}:{lineno}: question {q.id} has no gold answer")
            if not answerable:
                q.answer = None  # unanswerable files may carry a note or a gold answer from elsewhere
                q.must_contain = []
            out.append(q)
    return out
