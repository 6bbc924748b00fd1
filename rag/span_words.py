"""The word lists rag.spans reads a question's head noun and a span's own words against: what kind of place, body or
amount a word names ("which island" is no country, "which club" no league, "how much" an amount in money or a
measure)."""

from __future__ import annotations

import re

from .text import stem

# Natural places (stemmed head nouns): a country, US state or city is seldom the answer to "which island / volcano".
NATURAL_PLACES = {stem(w) for w in """island river lake mountain volcano sea ocean peninsula desert forest canal bay
    gulf strait archipelago valley coast""".split()}
# "Which university …": an institution named after its place ("Utah Valley University") is one
INSTITUTIONS = {"university", "college", "school", "hospital", "museum", "institute", "academy", "library", "zoo"}
# the common noun of a place's name: "Guantanamo Bay", "Gaza Strip", "Harvard University" are the place the question
# names when it names "Guantanamo", "Gaza", "Harvard"
GENERIC_PLACE = NATURAL_PLACES | {stem(w) for w in """strip city county province island islands airport university
    college""".split()}
# Places inside a city: "which neighborhood" is not answered by a country or a state (the gazetteer lists many
# neighborhoods, Altadena or Pacific Palisades, as populated places: a city-kind span still fits)
INSIDE_CITY = {stem(w) for w in "neighborhood neighbourhood district suburb borough street".split()}
# what an amount is measured in, for "how much" with no noun counted ("how much does a turkey cost?")
MEASURES = {stem(w) for w in """cent cents pence penny dollar dollars euro euros pound pounds yen yuan rupee rupees
    krona kronor krone kroner franc francs peso pesos rand lira shekel shekels dirham dirhams riyal riyals ruble
    rubles rouble roubles won baht ringgit rupiah naira zloty forint dinar dinars hryvnia bitcoin ton tons tonne tonnes
    gallon gallons barrel barrels litre litres liter liters acre acres mile miles kilometre
    kilometres kilometer kilometers inch inches foot feet metre metres meter meters ounce ounces kilogram kilograms
    degree degrees percent""".split()}
PRICED = re.compile(r"\b(?:cost|costs|costing|priced|worth|pay|pays|paid|charge|charges|charged|fetched|raised|spent|"
                     r"spend|owe|owes|owed|valued|fined)\s+(?:about\s+|around\s+|nearly\s+|over\s+|some\s+)?$")
# answered by words quoted
SAYINGS = {stem(w) for w in "phrase slogan motto catchphrase word saying term nickname moniker".split()}

ADMINISTRATIVE = {"country": 0.3, "state": 0.3, "city": 0.5}
CONTINENT_HEAD = stem("continent")
TEAM_HEADS = {stem(w) for w in "team club side franchise".split()}
COMPETITIONS = {"league", "cup", "trophy", "conference", "division", "championship", "championships", "series",
                 "bowl", "tournament", "association", "federation", "final", "finals", "playoffs",
                 # leagues and governing bodies news names by their letters: "No NFL team has ever won …"
                 "nfl", "nba", "wnba", "mlb", "nhl", "mls", "ncaa", "fifa", "uefa", "nascar", "pga", "atp", "wta", "ufc"}
PUBLIC_BODIES = {"court", "senate", "congress", "parliament", "department", "ministry", "agency", "commission", "committee",
                  "council", "government", "administration", "police", "army", "navy", "military", "bureau", "legislature",
                  "assembly", "cabinet", "judiciary"}
BUSINESS_HEADS = {stem(w) for w in """company firm app automaker carmaker maker brand retailer chain airline bank startup
    platform giant manufacturer business insurer broadcaster newspaper tabloid outlet publisher network""".split()}
# Wire services are whom a story credits ("(Reuters) -", "told AFP"), an answer only when a news source is asked for.
WIRES = {"reuters", "ap", "afp", "associated press", "agence france-presse", "upi", "dpa"}
NEWS_HEADS = {stem(w) for w in "agency outlet news organization organisation media service wire publication source".split()}
# What a span's words say it is, when that cannot be what the question's head asks for: "which club" is not
# answered by the Premier League, "which app" not by the Supreme Court.
NOT_A = [(TEAM_HEADS, COMPETITIONS), (BUSINESS_HEADS, PUBLIC_BODIES | COMPETITIONS),
          ({stem(w) for w in INSTITUTIONS}, PUBLIC_BODIES)]  # "which university": not the Department of Education
