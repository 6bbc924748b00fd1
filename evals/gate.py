"""The regression gate: per-dataset minimums (and maximums, for rates where lower is better) in TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


class GateError(ValueError):
    """The thresholds file is missing, malformed, or has nothing for this dataset."""


@dataclass
class Check:
    metric: str
    kind: str  # "min" or "max"
    threshold: float
    value: float | None

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.threshold if self.kind == "min" else self.value <= self.threshold

    def describe(self) -> str:
        got = "not measured" if self.value is None else f"{self.value:g}"
        op = ">=" if self.kind == "min" else "<="
        return f"{self.metric} = {got} (needs {op} {self.threshold:g})"


def load_thresholds(path: str | Path, dataset: str) -> dict[str, dict[str, float]]:
    """``{"min": {...}, "max": {...}}`` for one dataset, from tables ``[<dataset>.min]`` / ``[<dataset>.max]``."""
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise GateError(f"cannot read {path}: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise GateError(f"{path} is not valid TOML: {e}") from None
    section = doc.get(dataset)
    if not isinstance(section, dict):
        raise GateError(f"{path} has no thresholds for dataset {dataset!r} (tables [{dataset}.min] / [{dataset}.max])")
    out = {"min": {}, "max": {}}
    for kind in out:
        table = section.get(kind, {})
        for metric, v in table.items():
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise GateError(f"{path}: [{dataset}.{kind}] {metric} must be a number")
            out[kind][metric] = float(v)
    return out


def check_gate(flat: dict[str, float], thresholds: dict[str, dict[str, float]], backends: list[str]) -> tuple[list[Check], list[str]]:
    """(checks made, metrics skipped because their backend was not run in this evaluation)."""
    checks, skipped = [], []
    known = {"extractive", "llm"}
    for kind in ("min", "max"):
        for metric, threshold in thresholds[kind].items():
            head = metric.split(".", 1)[0]
            if head in known and head not in backends:
                skipped.append(metric)
                continue
            checks.append(Check(metric, kind, threshold, flat.get(metric)))
    return checks, skipped
