"""How many answers a question asks for: "which team" one, "which two teams" two, "which countries", "what are the
names of the turkeys" as many as a sentence lists (0), "who are the four inductees" four (rag.listed shows them)."""

from __future__ import annotations

import re

from .text import NUMBER_WORDS

_PLURAL_FORMS = ("people", "men", "women", "children")
_WHO_COUNT = re.compile(r"^\s+(?:are|were|will be)\s+the\s+(\w+)\b", re.I)  # "Who are the four inductees …"


def singular(word: str) -> str:
    """ "actresses" -> "actress", "charities" -> "charity", "teams" -> "team" (a word not plural stays)."""
    if word in ("series", "species", "news"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if re.search(r"(?:ss|ch|sh|x)es$", word):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def answers_asked(before: list[str], head: str, nouns: dict[str, str]) -> int:
    """How many things "which two teams" (2), "which countries" (0: every one listed), "which team" (1) asks for:
    a number word before the head noun, else the head noun's number (``nouns``: the head nouns known, singular)."""
    counted = [NUMBER_WORDS[w] for w in before if w in NUMBER_WORDS and NUMBER_WORDS[w] > 1]
    if counted:
        return counted[0]
    plural = head in _PLURAL_FORMS or singular(head) != head and singular(head) in nouns
    return 0 if plural else 1


def who_count(after_who: str) -> int:
    """2 for "Who are the two …", 4 for "who were the four …"; else 1."""
    m = _WHO_COUNT.match(after_who)
    n = NUMBER_WORDS.get(m.group(1).lower(), 1) if m else 1
    return n if n > 1 else 1
