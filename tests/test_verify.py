"""The reply parser and citation verifier on hand-written replies."""

from rag.evidence import Evidence
from rag.llm import verify_reply
from rag.models import Chunk, ScoredChunk, is_verbatim
from rag.verify import SupportScorer, contradicts, missing_numbers, parse_citations

SOURCES = [
    "Izvestia said Grushko listed elements of what might be contained in such guarantees.",
    "These included demands long called for by Moscow, including a bar on NATO membership for Ukraine, "
    "the rejection of any deployment in Ukraine of troops from NATO states as part of a settlement.",
    "Russian and Ukrainian negotiators have held two rounds of talks in recent weeks with U.S. representatives.",
    "Zelenskiy has said the next meeting will take place in the United States.",
    "No peace deal has emerged, but the two sides agreed on the first exchange of prisoners of war in five months.",
    "Ukrainian President Volodymyr Zelenskiy said on Monday that documents on security guarantees were ready.",
]


def _evidence():
    text = " ".join(SOURCES)
    out, pos = [], 0
    chunk = Chunk(id="a:0", article_id="a", text=text, start=0, end=len(text))
    hit = ScoredChunk(chunk=chunk, score=1.0, title="T", source="S", published="2026-02-09")
    for s in SOURCES:
        out.append(Evidence(hit=hit, start=pos, end=pos + len(s), text=s, chunk_rank=0))
        pos += len(s) + 1
    return out, text


def test_parse_valid_merged_and_adjacent_markers():
    parsed = parse_citations("Russia wants a bar on NATO membership [2]. Talks were held [3, 4]. Talks again [3][4].", 6)
    assert [p.cited for p in parsed] == [[2], [3, 4], [3, 4]]
    assert parsed[0].text == "Russia wants a bar on NATO membership."


def test_parse_out_of_range_is_dropped():
    parsed = parse_citations("Moscow wants guarantees [7]. It also wants talks [2][8].", 6)
    assert parsed[0].cited == [] and parsed[0].invalid == [7]
    assert parsed[1].cited == [2] and parsed[1].invalid == [8]


def test_marker_after_the_full_stop_belongs_to_the_sentence_before():
    parsed = parse_citations("Russia wants a bar on NATO membership. [2] Talks were held. [3]", 6)
    assert [p.cited for p in parsed] == [[2], [3]]


def test_parse_missing_citations():
    parsed = parse_citations("Russia wants guarantees. Nothing else.", 6)
    assert all(p.cited == [] for p in parsed)


def test_contradiction_of_a_negated_source_is_caught():
    assert contradicts("Russia demands NATO membership for Ukraine.", [SOURCES[1]])
    assert not contradicts("Russia demands a bar on NATO membership for Ukraine.", [SOURCES[1]])
    assert missing_numbers("Negotiators held 5 rounds of talks.", [SOURCES[2]])
    assert not missing_numbers("Prisoners were exchanged for the first time in five months.", [SOURCES[4]])


def test_support_scores(embedder):
    scorer = SupportScorer(embed=embedder.embed)
    good = scorer.score("Russia demands a bar on NATO membership for Ukraine.", [SOURCES[1]])
    flipped = scorer.score("Russia demands NATO membership for Ukraine.", [SOURCES[1]])
    unrelated = scorer.score("The euro zone inflation rate fell to 2 percent.", [SOURCES[1]])
    assert good >= 0.5 > flipped
    assert unrelated < 0.3


def test_verify_reply_end_to_end(embedder):
    ev, text = _evidence()
    scorer = SupportScorer(embed=embedder.embed)
    reply = (
        "Russia demands a bar on NATO membership for Ukraine [2][9]. "
        "Russia demands NATO membership for Ukraine [2]. "
        "The next meeting will be in the United States [4]."
    )
    ans = verify_reply("What does Russia demand?", reply, ev, scorer, "llm:test")
    assert not ans.abstained
    assert "[9]" not in ans.text
    assert [s.supported for s in ans.sentences] == [True, False, True]
    # citations renumbered 1..n in order of use, quotes verbatim at their offsets
    assert [c.n for c in ans.citations] == [1, 2]
    assert ans.sentences[0].citations == [1] and ans.sentences[2].citations == [2]
    for c in ans.citations:
        assert is_verbatim(text, c)


def test_reply_with_no_supported_sentence_abstains(embedder):
    ev, _ = _evidence()
    scorer = SupportScorer(embed=embedder.embed)
    for reply in ("Russia wants Alaska back [7].", "The euro zone inflation rate is 2 percent [1].", "I do not know."):
        ans = verify_reply("q", reply, ev, scorer, "llm:test")
        assert ans.abstained and ans.citations == []


def test_a_claim_cited_to_the_wrong_neighbour_is_re_anchored_to_the_source_that_says_it(embedder):
    ev, text = _evidence()
    scorer = SupportScorer(embed=embedder.embed)
    # the words of source 4, cited as 1 and 2 (as small models do)
    ans = verify_reply("Where is the next meeting?", "Zelenskiy has said the next meeting will take place in the United States. [1][2]",
                       ev, scorer, "llm:test")
    assert not ans.abstained and ans.sentences[0].supported
    assert [c.quote for c in ans.citations] == [SOURCES[3]] and ans.sentences[0].citations == [1]
    assert all(is_verbatim(text, c) for c in ans.citations)


def test_a_dangling_sentence_is_never_supported(embedder):
    ev, _ = _evidence()
    scorer = SupportScorer(embed=embedder.embed)
    ans = verify_reply("Who spoke?", "Izvestia said Grushko listed elements of such guarantees, according to [1].", ev, scorer, "llm:test")
    assert ans.abstained  # "…, according to." states nothing whole, however many of its words the source has
    ok = verify_reply("Who spoke?", "Izvestia said Grushko listed elements of such guarantees [1].", ev, scorer, "llm:test")
    assert not ok.abstained and ok.sentences[0].supported


def test_a_claim_that_restates_the_question_is_never_supported(embedder):
    """Its only words in common with its source are the question's: the question said again, with filler."""
    from rag.llm import SAID_NOTHING, restates_question

    ev, _ = _evidence()
    scorer = SupportScorer(embed=embedder.embed)
    q = "What does Russia demand?"
    assert restates_question("Russia has demands, as mentioned earlier.", q, ["Russia listed its demands on Monday."])
    assert not restates_question("Russia demands a bar on NATO membership.", q, ["… including a bar on NATO membership"])
    assert not restates_question("The moon is made of cheese.", q, ["Russia listed its demands."])  # unsupported, not restated
    ans = verify_reply(q, "Russia has demands, as mentioned earlier [2].", ev, scorer, "llm:test")
    assert ans.abstained and ans.error == SAID_NOTHING


def test_the_answer_is_lead_in_is_not_part_of_the_answer(embedder):
    """ "The answer is: …" is how a small model starts; the reader gets the claim."""
    ev, _ = _evidence()
    scorer = SupportScorer(embed=embedder.embed)
    ans = verify_reply("What does Russia demand?", "The answer is: Russia demands a bar on NATO membership for Ukraine [2].",
                       ev, scorer, "llm:test")
    assert not ans.abstained and ans.text.startswith("Russia demands a bar on NATO membership")
    assert ans.sentences[0].supported
