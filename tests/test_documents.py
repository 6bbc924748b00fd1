"""PDF and DOCX ingest: a small generated PDF and DOCX ingest and answer with verbatim citations.

The PDF files are written by hand here (a few objects and a text content stream, the
way a PDF writer lays them out), so no PDF-writing library is needed; DOCX files are
made with python-docx. Bad files (scanned, corrupt, encrypted, zip bombs) are each
skipped with a one-line reason and never raise.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.cleaning import join_lines
from ingest.documents import drop_page_furniture, pdf_paragraphs, title_and_body
from ingest.loaders import SUPPORTED, load_file
from ingest.pipeline import ingest_paths
from rag.models import is_verbatim
from rag.service import answer

FERRY_PAGES = [
    [
        "Harbour Gazette",
        "Ferry service to resume on the east shore",
        "The harbour authority said on Monday that the ferry service to the east",
        "shore will resume in April after a two-year closure caused by storm dam-",
        "age to the landing stage and its pontoons, repairs which cost the city",
        "about 4.2 million dollars.",
        "Local traders welcomed the news. Fish sellers said the closure had cut",
        "their takings by almost half.",
        "1",
    ],
    [
        "Harbour Gazette",
        "The mayor, Ana Ruiz, said the first crossing would leave at seven in the",
        "morning from the rebuilt landing stage.",
        "2",
    ],
    ["Harbour Gazette", "Timetables will be posted at the landing stage and online.", "3"],
]
FERRY_QUESTION = "When will the ferry service to the east shore resume?"
CHESS_QUESTION = "Who won the regional chess tournament in Valencia?"


# ---------------------------------------------------------------- making files


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], info: dict[str, str] | None = None, contents: dict[int, str] | None = None) -> bytes:
    """A minimal valid PDF: one Helvetica text line per entry of each page (``contents`` replaces a page's stream)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    objs.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>")
        stream = (contents or {}).get(i) or ("BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(f"({_esc(ln)}) Tj T*" for ln in lines) + " ET")
        objs.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
    if info:
        objs.append("<< " + " ".join(f"/{k} ({_esc(v)})" for k, v in info.items()) + " >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    root = f"<< /Size {len(objs) + 1} /Root 1 0 R" + (f" /Info {len(objs)} 0 R" if info else "") + " >>"
    return out + f"trailer\n{root}\nstartxref\n{xref}\n%%EOF\n".encode()


def ferry_pdf(path: Path, **info: str) -> Path:
    path.write_bytes(make_pdf(FERRY_PAGES, info={"CreationDate": "D:20240305093000+01'00'", **info}))
    return path


def chess_docx(path: Path, core_title: str = "") -> Path:
    import docx

    doc = docx.Document()
    doc.core_properties.title = core_title
    doc.core_properties.created = datetime(2025, 1, 12, 18, 30, tzinfo=UTC)
    doc.add_heading("Valencia chess title goes to Maria Lopez", level=0)
    doc.add_paragraph("Maria Lopez won the regional chess tournament in Valencia on Sunday,   beating\tthe defending champion in the final round.")
    doc.add_paragraph("")
    doc.add_heading("Next steps", level=1)
    doc.add_paragraph("She will play in the national championship in Madrid next month.")
    doc.save(path)
    return path


def scanned_pdf(path: Path) -> Path:
    """A page that only paints an image (an inline 2x2 grey bitmap), as a scanner makes it: no text layer."""
    image = "q 200 0 0 200 72 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
    path.write_bytes(make_pdf([[]], info={"Title": "Scan 0001"}, contents={0: image}))
    return path


def one(items) -> object:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def skipped(path: Path) -> str:
    item = one(load_file(path))
    assert item.article is None and item.skipped and "\n" not in item.skipped, item
    return item.skipped


# ---------------------------------------------------------------- reading


def test_pdf_text_is_cleaned_and_metadata_read(tmp_path):
    art = one(load_file(ferry_pdf(tmp_path / "ferry.pdf"))).article
    assert art.title == "Ferry service to resume on the east shore"  # the first line, not repeated in the text
    assert art.published == "2024-03-05"
    assert art.text.startswith("The harbour authority said on Monday")
    assert "storm damage to the landing stage" in art.text  # a hyphenated line break joined
    assert "Harbour Gazette" not in art.text  # the running header
    assert "\n1\n" not in art.text and not art.text.endswith("3")  # page numbers
    # paragraphs kept, lines inside one joined; a paragraph goes on across a page break
    assert art.text.split("\n\n")[1] == "Local traders welcomed the news. Fish sellers said the closure had cut their takings by almost half."
    assert "at seven in the morning from the rebuilt landing stage." in art.text
    assert ".pdf" in SUPPORTED and ".docx" in SUPPORTED


def test_pdf_metadata_title_wins_and_file_name_titles_do_not(tmp_path):
    art = one(load_file(ferry_pdf(tmp_path / "a.pdf", Title="East shore ferry returns"))).article
    assert art.title == "East shore ferry returns"
    assert art.text.startswith("Ferry service to resume on the east shore\n\n")  # a different headline stays text
    art = one(load_file(ferry_pdf(tmp_path / "b.pdf", Title="Microsoft Word - ferry.docx"))).article
    assert art.title == "Ferry service to resume on the east shore"


def test_docx_title_from_heading_date_from_core_properties(tmp_path):
    art = one(load_file(chess_docx(tmp_path / "chess.docx"))).article
    assert art.title == "Valencia chess title goes to Maria Lopez"
    assert art.published == "2025-01-12"
    assert art.text.split("\n\n") == [
        "Maria Lopez won the regional chess tournament in Valencia on Sunday, beating the defending champion in the final round.",
        "Next steps",
        "She will play in the national championship in Madrid next month.",
    ]
    art = one(load_file(chess_docx(tmp_path / "titled.docx", core_title="Lopez takes Valencia title"))).article
    assert art.title == "Lopez takes Valencia title" and art.text.startswith("Valencia chess title goes to Maria Lopez\n\n")


def test_text_cleaning_helpers():
    assert join_lines(["the re-", "porters met the Anglo-", "Saxon  scholars", "in\u00ad", "side the ﬁeld"]) == \
        "the reporters met the Anglo-Saxon scholars inside the field"
    pages = [["Daily News", f"Body line {i}.", f"Page {i} of 4"] for i in range(1, 5)]
    assert drop_page_furniture(pages) == [[f"Body line {i}."] for i in range(1, 5)]
    assert pdf_paragraphs([["A headline", "a long line of body text that runs on", "to its end."]]) == \
        ["A headline", "a long line of body text that runs on to its end."]
    assert title_and_body("", ["Only one paragraph here"], set()) == ("", ["Only one paragraph here"])


# ---------------------------------------------------------------- bad files: skipped with a reason


def test_scanned_pdf_is_skipped_with_a_reason(tmp_path):
    assert "no text layer" in skipped(scanned_pdf(tmp_path / "scan.pdf"))


def test_corrupt_pdfs_are_skipped_with_a_reason(tmp_path):
    good = make_pdf(FERRY_PAGES)
    cases = {
        "header-only.pdf": b"%PDF-1.4",
        "garbage.pdf": b"%PDF-1.7\n" + os.urandom(4000),
        "truncated.pdf": good[: len(good) // 3],
        "not-a-pdf.pdf": b"<html><body>hello</body></html>",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        reason = skipped(tmp_path / name)
        assert "PDF" in reason or "no article text" in reason, (name, reason)


def test_encrypted_pdf_is_skipped_unless_its_password_is_empty(tmp_path):
    from pypdf import PdfReader, PdfWriter

    def encrypted(password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(FERRY_PAGES))))
        writer.encrypt(user_password=password, owner_password="owner-secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    (tmp_path / "locked.pdf").write_bytes(encrypted("reader-secret"))
    assert skipped(tmp_path / "locked.pdf") == "encrypted PDF (needs a password)"
    (tmp_path / "permissions-only.pdf").write_bytes(encrypted(""))
    art = one(load_file(tmp_path / "permissions-only.pdf")).article
    assert "storm damage" in art.text


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_docx_zip_bombs_and_corrupt_files_are_skipped_with_a_reason(tmp_path, monkeypatch):
    from ingest import documents

    real = chess_docx(tmp_path / "real.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(real)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}

    # 40 MB of spaces in the document part: a few KB on disk, over the XML part cap when inflated
    bomb = _zip(tmp_path / "bomb.docx", {**parts, "word/document.xml": b" " * (40 * 2**20)})
    assert bomb.stat().st_size < 2**20
    item = one(load_file(bomb))
    assert item.article is None and item.too_large and "word/document.xml is over 32 MB decompressed" in item.skipped

    # many parts that add up past the total cap (made small here by lowering the cap)
    monkeypatch.setattr(documents, "MAX_DECOMPRESSED_BYTES", 2**20)
    heavy = _zip(tmp_path / "heavy.docx", {**parts, "word/media/image1.png": b"\0" * (2 * 2**20)})
    item = one(load_file(heavy))
    assert item.too_large and item.skipped == "decompressed size over 1 MB"
    monkeypatch.undo()

    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an old .doc (OLE) renamed
    assert skipped(tmp_path / "old.docx").startswith("not a DOCX file (not a zip archive")
    _zip(tmp_path / "empty-zip.docx", {"hello.txt": b"hi"})
    assert skipped(tmp_path / "empty-zip.docx").startswith("unreadable DOCX")
    (tmp_path / "cut.docx").write_bytes(real[: len(real) // 2])
    assert "DOCX" in skipped(tmp_path / "cut.docx")
    _zip(tmp_path / "bad-xml.docx", {**parts, "word/document.xml": b"<w:document><unclosed"})
    assert skipped(tmp_path / "bad-xml.docx").startswith("unreadable DOCX")
    no_text = tmp_path / "no-text.docx"
    import docx

    docx.Document().save(no_text)
    assert "no paragraph text" in skipped(no_text)


_FERRY_PDF = make_pdf(FERRY_PAGES, info={"Title": "Ferry", "CreationDate": "D:20240305"})


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from([".pdf", ".docx"]), cut=st.floats(0.05, 1.0),
       flips=st.lists(st.tuples(st.floats(0, 0.999), st.integers(0, 255)), max_size=6))
def test_damaged_files_never_raise(tmp_path_factory, kind, cut, flips):
    """A valid PDF or DOCX, truncated and with bytes overwritten: one item, an article or a one-line reason."""
    folder = tmp_path_factory.mktemp("damaged")
    raw = bytearray(_FERRY_PDF if kind == ".pdf" else chess_docx(folder / "ok.docx").read_bytes())
    for where, value in flips:
        raw[int(where * len(raw))] = value
    path = folder / f"damaged{kind}"
    path.write_bytes(bytes(raw[: max(1, int(cut * len(raw)))]))
    item = one(load_file(path))
    assert (item.article is None) != (item.skipped is None)
    if item.skipped:
        assert "\n" not in item.skipped and len(item.skipped) < 400


# ---------------------------------------------------------------- ingest and answer


def assert_cites(library, ans, article_id: str, *words: str) -> None:
    assert not ans.abstained, ans.text
    cited = [c for c in ans.citations if c.article_id == article_id]
    assert cited, ans.citations
    art = library.store.get_article(article_id)
    for c in ans.citations:
        stored = library.store.get_article(c.article_id)
        assert c.quote == stored.text[c.start : c.end] and is_verbatim(stored.text, c)
    assert any(all(w in c.quote for w in words) for c in cited), [c.quote for c in cited]
    assert cited[0].title == art.title and cited[0].published == art.published


def test_generated_pdf_and_docx_ingest_and_answer_with_verbatim_citations(library, tmp_path):
    pdf, doc = ferry_pdf(tmp_path / "ferry.pdf"), chess_docx(tmp_path / "chess.docx")
    report = ingest_paths(library, [str(pdf), str(doc), str(scanned_pdf(tmp_path / "scan.pdf"))])
    assert len(report.added) == 2
    assert [(Path(origin).name, "no text layer" in why) for origin, why in report.skipped] == [("scan.pdf", True)]
    ids = {a.title: a.id for a in library.store.list_articles()}
    ferry_id = ids["Ferry service to resume on the east shore"]
    chess_id = ids["Valencia chess title goes to Maria Lopez"]

    ans = answer(FERRY_QUESTION, library)
    assert_cites(library, ans, ferry_id, "resume in April")
    assert "April" in ans.text
    ans = answer(CHESS_QUESTION, library)
    assert_cites(library, ans, chess_id, "Maria Lopez won")
    assert ans.citations[0].published == "2025-01-12"
    # ingesting the same files again changes nothing (ids come from the file paths)
    again = ingest_paths(library, [str(pdf), str(doc)])
    assert again.added == [] and len(again.unchanged) == 2


def test_upload_of_pdf_and_docx_through_the_api(library, tmp_path):
    from fastapi.testclient import TestClient

    from newsqa.api import create_app

    pdf, doc = ferry_pdf(tmp_path / "ferry.pdf"), chess_docx(tmp_path / "chess.docx")
    files = [
        ("files", ("ferry.pdf", pdf.read_bytes(), "application/pdf")),
        ("files", ("chess.docx", doc.read_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")),
        ("files", ("scan.pdf", scanned_pdf(tmp_path / "scan.pdf").read_bytes(), "application/pdf")),
    ]
    with TestClient(create_app(library.settings, library, mount_ui=False)) as c:
        r = c.post("/v1/articles/upload", files=files)
        assert r.status_code == 200, r.text
        out = r.json()
        by_item = {x["item"]: x for x in out["results"]}
        assert out["added"] == 2
        assert by_item["ferry.pdf"]["title"] == "Ferry service to resume on the east shore"
        assert by_item["scan.pdf"]["status"] == "skipped" and "no text layer" in by_item["scan.pdf"]["reason"]
        r = c.post("/v1/ask", json={"question": FERRY_QUESTION})
        assert r.status_code == 200, r.text
        ans = r.json()
        assert not ans["abstained"]
        cited = [x for x in ans["citations"] if "resume in April" in x["quote"]]
        assert cited and cited[0]["published"] == "2024-03-05"
        text = c.get(f"/v1/articles/{cited[0]['article_id']}").json()["text"]
        assert text[cited[0]["start"] : cited[0]["end"]] == cited[0]["quote"]
        # only a bad PDF: refused as a whole, with its reason
        r = c.post("/v1/articles/upload", files=[("files", ("locked.pdf", b"%PDF-1.4", "application/pdf"))])
        assert r.status_code == 422 and "PDF" in r.text


def test_cli_ingests_a_pdf_and_answers_from_it(tmp_path):
    data = tmp_path / "lib"
    env = {k: v for k, v in os.environ.items() if k != "NEWSQA_DATA_DIR"}
    pdf = ferry_pdf(tmp_path / "ferry.pdf")
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)

    def newsqa(*args):
        return subprocess.run([sys.executable, "-m", "newsqa.cli", "--data-dir", str(data), *args],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)

    p = newsqa("ingest", str(pdf), str(corrupt))
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stdout + p.stderr
    assert "corrupt.pdf" in p.stdout and "PDF" in p.stdout
    p = newsqa("ask", "--json", FERRY_QUESTION)
    assert p.returncode == 0, p.stderr
    ans = json.loads(p.stdout)
    assert any("resume in April" in c["quote"] for c in ans["citations"])
    p = newsqa("show", ans["citations"][0]["article_id"])
    assert p.returncode == 0 and "Ferry service to resume on the east shore" in p.stdout
