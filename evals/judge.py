"""ALCE-style citation recall and precision (Gao et al., 2023) with an LLM judge on an OpenAI-compatible endpoint.

- Recall of a sentence: 1 when the judge says its cited quotes, together, entail it.
- Precision: a citation counts when its sentence is entailed by all its citations together and the
  citation matters: it entails the sentence alone, or the others without it no longer do.
"""

from __future__ import annotations

from functools import lru_cache

import httpx

from rag.models import Answer

PROMPT = (
    "Premise:\n{premise}\n\nClaim:\n{claim}\n\n"
    "Does the premise, on its own, fully support the claim? Answer with one word: yes or no."
)


class Judge:
    """Asks an OpenAI-compatible chat endpoint whether quotes entail a claim (temperature 0, cached)."""

    def __init__(self, base_url: str, model: str = "judge", api_key: str = "none", timeout: float = 60.0):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.client = httpx.Client(timeout=timeout, headers={"Authorization": f"Bearer {api_key}"})
        self.entails = lru_cache(maxsize=4096)(self._entails)

    def _entails(self, premise: str, claim: str) -> bool:
        body = {
            "model": self.model,
            "temperature": 0.0,
            "max_tokens": 4,
            "messages": [{"role": "user", "content": PROMPT.format(premise=premise, claim=claim)}],
        }
        r = self.client.post(self.url, json=body)
        r.raise_for_status()
        reply = r.json()["choices"][0]["message"]["content"] or ""
        return reply.strip().lower().lstrip("\"'*").startswith("yes")

    def score(self, ans: Answer) -> tuple[float | None, float | None]:
        """(citation recall, citation precision) of one answer; None when it has no sentences or citations."""
        quotes = {c.n: c.quote for c in ans.citations}
        recalls, good, total = [], 0, 0
        for s in ans.sentences:
            cited = [n for n in s.citations if n in quotes]
            joint = bool(cited) and self.entails(" ".join(quotes[n] for n in cited), s.text)
            recalls.append(1.0 if joint else 0.0)
            total += len(cited)
            if not joint:
                continue
            if len(cited) == 1:
                good += 1
                continue
            for n in cited:
                rest = [m for m in cited if m != n]
                if self.entails(quotes[n], s.text) or not self.entails(" ".join(quotes[m] for m in rest), s.text):
                    good += 1
        recall = sum(recalls) / len(recalls) if recalls else None
        precision = good / total if total else None
        return recall, precision
