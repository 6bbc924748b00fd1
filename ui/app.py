"""The chat page: Gradio Blocks over the same services as the API (``build_blocks``).

The server mounts it at ``/`` with ``gr.mount_gradio_app(app, blocks, path="/",
css=CSS, js=JS, head=HEAD)``. Callbacks stay thin: validate, call
``rag.service`` / ``ingest``, hand the result to ``ui.render`` for markup.
The chat log and the sources panel are our own escaped HTML (not
``gr.Chatbot``) so that every ``[n]`` can be a button that opens its source.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from rag import settings as _settings_module  # noqa: F401  (telemetry off before gradio loads)

import gradio as gr

from rag import articles
from rag.settings import redact
from rag.retrieve import Filters
from rag.service import AskRequest, QuestionError, answer_stream

from . import render
from .feeds import feeds_section
from .render import Turn
from .style import CSS

log = logging.getLogger("newsqa.ui")

EXAMPLES = [
    "What does Russia demand?",
    "Why did Greece declare a state of emergency?",
    "What does Nepal require of Mount Everest climbers?",
    "Where are microplastics accumulating?",
]
HISTORY_TURNS = 4  # earlier question/answer pairs sent along with a follow-up
LIBRARY_ROWS = 500  # rows shown in the library table; search narrows the rest
STREAM_INTERVAL = 0.05  # seconds between re-renders while tokens stream in
EMPTY_LEFTOVER_AGE_S = 600  # empty files Gradio leaves in the upload folder are swept after this


# Clicking [n] shows source n of that answer in the panel; the chat log keeps
# its newest message in view while an answer streams. One delegated listener
# survives every re-render of the HTML components. Installed from both JS and
# HEAD (whichever the page runs first); the guard makes the second a no-op.
_INSTALL = """
function newsqaInstall() {
  if (window.__newsqaUi) return;
  window.__newsqaUi = true;
  function showSource(turn, n) {
    const panel = document.getElementById('sources-panel');
    if (!panel) return;
    panel.querySelectorAll('.nq-turn-sources').forEach(function (s) {
      s.classList.toggle('nq-active', s.dataset.turn === turn);
    });
    panel.querySelectorAll('.nq-src.nq-selected').forEach(function (c) { c.classList.remove('nq-selected'); });
    const card = document.getElementById('src-' + turn + '-' + n);
    if (card) {
      card.classList.add('nq-selected');
      card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
    }
  }
  document.addEventListener('click', function (e) {
    const ref = e.target && e.target.closest ? e.target.closest('.nq-cite') : null;
    if (!ref) return;
    e.preventDefault();
    showSource(ref.dataset.turn, ref.dataset.n);
  });
  let lastHeight = 0;
  new MutationObserver(function () {
    const chat = document.querySelector('#chat-log .nq-chat');
    if (chat && chat.scrollHeight !== lastHeight) {
      lastHeight = chat.scrollHeight;
      chat.scrollTop = chat.scrollHeight;
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
}
"""
JS = f"() => {{ {_INSTALL}\n newsqaInstall(); }}"
HEAD = (
    '<meta name="color-scheme" content="light">\n'
    f"<script>{_INSTALL}\nif (document.readyState === 'loading') "
    "document.addEventListener('DOMContentLoaded', newsqaInstall); else newsqaInstall();</script>"
)


def private_upload_dir(settings) -> Path:
    """``<data_dir>/uploads/page``, mode 0o700: where the page's uploads land, readable by this user only."""
    folder = (Path(settings.data_dir) / "uploads" / "page").resolve()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask, and the folder may already exist
    return folder


def use_private_upload_dir(settings) -> Path:
    """Point Gradio's upload and cache folder (``GRADIO_TEMP_DIR``) at ``private_upload_dir``.

    Gradio 6 reads the variable when each component and each mounted app is built
    (``gradio.utils.get_upload_folder``: ``Block.GRADIO_CACHE``, ``App.uploaded_file_dir``)
    and again when it checks that an event's files were uploaded, so it must be set
    before ``build_blocks`` builds the page and stay set while it serves. It is one
    variable per process: the last page built decides.
    """
    folder = private_upload_dir(settings)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def discard_uploads(paths, upload_dir: Path) -> None:
    """Delete uploaded files (and the per-file folders Gradio made for them) inside ``upload_dir``; nothing else."""
    root = Path(upload_dir).resolve()
    for p in paths:
        try:
            path = Path(p).resolve()
            if root not in path.parents or not path.is_file():
                continue
            path.unlink()
            folder = path.parent
            while folder != root and root in folder.parents and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        except OSError:
            log.warning("could not delete the uploaded file %s", p, exc_info=True)
    # gr.File(type="filepath") leaves an empty temp file beside every upload it hands
    # over; sweep those once they are old enough not to be an upload still arriving.
    try:
        for leftover in root.iterdir():
            st = leftover.lstat()
            if leftover.is_file() and not leftover.is_symlink() and st.st_size == 0 and time.time() - st.st_mtime > EMPTY_LEFTOVER_AGE_S:
                leftover.unlink(missing_ok=True)
    except OSError:
        log.warning("could not sweep %s", root, exc_info=True)


def build_blocks(library, settings=None) -> gr.Blocks:
    """The chat page and the library tab, wired to ``library``."""
    settings = settings or library.settings
    max_upload = settings.max_upload_mb * 2**20
    upload_dir = use_private_upload_dir(settings)

    # -------------------------------------------------------------- chat

    def source_choices() -> list[str]:
        return sorted({a.source for a in library.store.list_articles() if a.source}, key=str.lower)

    def ask(question, turns, sources, since, until, as_of):
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        filters = Filters(
            sources=list(sources) if sources else None,
            since=(since or "").strip() or None,
            until=(until or "").strip() or None,
            as_of=(as_of or "").strip() or None,
        )
        history = history_of(turns)
        turn = Turn(question=question, filters=filters_in_words(filters))
        turns = [*turns, turn]
        yield "", turns, render.conversation_html(turns, ""), gr.skip()
        req = AskRequest(question=question, filters=filters, history=history)
        try:
            streamed: list[str] = []
            shown = time.monotonic()
            for ev in answer_stream(req, library):
                if ev.kind == "token":
                    streamed.append(ev.token)
                    if time.monotonic() - shown >= STREAM_INTERVAL:
                        shown = time.monotonic()
                        yield gr.skip(), gr.skip(), render.conversation_html(turns, "".join(streamed)), gr.skip()
                elif ev.answer is not None:
                    turn.answer = ev.answer
        except QuestionError as e:
            turn.error = f"That question cannot be asked as it stands: {e}."
        except Exception as e:  # the page must say something, never hang
            log.exception("answering %r failed", question)
            turn.error = f"Something went wrong while answering ({type(e).__name__}). The server log has the details."
        if turn.answer is not None:
            ids = list(dict.fromkeys(c.article_id for c in turn.answer.citations))
            arts = library.store.get_articles(ids) if ids else {}
            turn.sources = render.sources_section(turn.answer, {i: a.text for i, a in arts.items()}, len(turns) - 1)
        elif turn.error is None:
            turn.error = "No answer came back."
        yield "", turns, render.conversation_html(turns), render.sources_html(turns)

    def clear():
        return [], render.conversation_html([]), render.sources_html([])

    # -------------------------------------------------------------- library

    def list_library(query):
        infos = library.store.list_articles()
        infos.sort(key=lambda a: (a.published or "", a.title), reverse=True)
        hits = [a for a in infos if render.matches(a, query or "")] if (query or "").strip() else infos
        shown = hits[:LIBRARY_ROWS]
        note = f"{len(infos)} articles in the library"
        if (query or "").strip():
            note += f", {len(hits)} match"
        if len(hits) > len(shown):
            note += f"; showing the newest {len(shown)}, search to narrow"
        return render.library_rows(shown), note

    def refresh_library(query):
        rows, note = list_library(query)
        return rows, note, gr.update(choices=source_choices())

    def open_article(evt: gr.SelectData):
        row = evt.row_value or []
        article_id = str(row[-1]) if row else ""
        art = library.store.get_article(article_id) if article_id else None
        chunks = row[3] if art is not None and len(row) > 3 else None
        return (
            article_id if art else "",
            render.article_html(art, chunks),
            gr.update(visible=art is not None),
            gr.update(visible=False),
            "",
        )

    def delete_article(article_id, query):
        gone = articles.delete(library, [article_id]) if article_id else []
        msg = render.notice_html("Deleted the article." if gone else "That article was already gone.", "ok")
        rows, note = list_library(query)
        return (
            "",
            render.article_html(None),
            gr.update(visible=False),
            gr.update(visible=False),
            msg,
            rows,
            note,
            gr.update(choices=source_choices()),
        )

    def ingest_uploads(files, query, progress=gr.Progress()):
        paths = [files] if isinstance(files, str) else list(files or [])
        uploads = [articles.Upload(name=Path(p).name, path=Path(p)) for p in paths]
        progress(0, desc="Reading files")
        done = 0

        def step(n, chunks):
            nonlocal done
            done += n
            progress(done, desc=f"Indexing articles ({chunks} chunks)", unit="articles")

        try:
            report, _ = articles.ingest_uploads(library, uploads, max_upload, step)
        except Exception as e:  # a store failure: say so beside the upload, keep the page usable
            log.exception("ingesting uploads failed")
            msg = render.notice_html(f"The files could not be added ({type(e).__name__}: {redact(str(e))}).", "error")
            return msg, None, gr.skip(), gr.skip(), gr.skip()
        finally:
            discard_uploads(paths, upload_dir)  # the articles are in the store now; the files must not linger
        rows, note = list_library(query)
        return render.upload_results_html(report.results), None, rows, note, gr.update(choices=source_choices())

    # -------------------------------------------------------------- layout

    with gr.Blocks(title="newsqa: answers with sources", analytics_enabled=False) as blocks:
        turns = gr.State([])
        selected = gr.State("")
        with gr.Row(elem_id="nq-header"):
            gr.HTML(
                '<div class="nq-brand"><span class="nq-logo">newsqa</span>'
                '<span class="nq-tagline">Answers from your news articles, every sentence cited and checked.</span></div>',
                js_on_load=None,
            )
        with gr.Tabs(elem_id="nq-tabs"):
            with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360, elem_id="chat-column"):
                        chat_log = gr.HTML(render.conversation_html([]), elem_id="chat-log", js_on_load=None)
                        with gr.Row(elem_id="ask-row"):
                            question = gr.Textbox(
                                placeholder="Ask a question about the articles…",
                                show_label=False,
                                lines=1,
                                max_lines=4,
                                scale=8,
                                elem_id="question",
                                autofocus=True,
                            )
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="ask-btn")
                        with gr.Row(elem_id="examples-row"):
                            example_btns = [
                                gr.Button(q, size="sm", variant="secondary", elem_classes=["nq-example"], min_width=0)
                                for q in EXAMPLES
                            ]
                        with gr.Accordion("Filters", open=False, elem_id="filters"):
                            with gr.Row():
                                f_sources = gr.Dropdown(
                                    choices=[],
                                    multiselect=True,
                                    label="Sources",
                                    info="Only these publishers (none selected: all)",
                                    elem_id="filter-sources",
                                    scale=2,
                                )
                                f_since = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD", elem_id="filter-since", scale=1)
                                f_until = gr.Textbox(label="Published until", placeholder="YYYY-MM-DD", elem_id="filter-until", scale=1)
                                f_as_of = gr.Textbox(label="As of", placeholder="YYYY-MM-DD (today)", elem_id="filter-as-of", scale=1,
                                                     info="Nothing published later is used")
                        clear_btn = gr.Button("New conversation", size="sm", variant="secondary", elem_id="clear-btn")
                    with gr.Column(scale=2, min_width=320, elem_id="sources-column"):
                        sources_panel = gr.HTML(render.sources_html([]), elem_id="sources-panel", js_on_load=None)
            with gr.Tab("Library", id="library", elem_id="tab-library"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        with gr.Row():
                            lib_search = gr.Textbox(
                                placeholder="Search titles, sources, dates, ids…",
                                show_label=False,
                                scale=6,
                                elem_id="library-search",
                            )
                            lib_refresh = gr.Button("Refresh", size="sm", scale=1, min_width=80, elem_id="library-refresh")
                        lib_note = gr.Markdown(elem_id="library-count")
                        lib_table = gr.Dataframe(
                            headers=["Title", "Source", "Published", "Chunks", "ID"],
                            datatype=["str", "str", "str", "number", "str"],
                            type="array",
                            interactive=False,
                            wrap=True,
                            max_height=520,
                            column_widths=["46%", "18%", "14%", "8%", "14%"],
                            elem_id="library-table",
                        )
                        gr.Markdown("### Add articles")
                        upload = gr.File(
                            label="Drop files here: .txt .md .html .jsonl .jsonl.gz .pdf .docx",
                            file_count="multiple",
                            height=150,
                            elem_id="upload-files",
                        )
                        upload_results = gr.HTML("", elem_id="upload-results", js_on_load=None)
                        feeds_section(library, (refresh_library, lib_search, [lib_table, lib_note, f_sources]))
                    with gr.Column(scale=2, min_width=320):
                        reader = gr.HTML(render.article_html(None), elem_id="article-view", js_on_load=None)
                        delete_btn = gr.Button("Delete this article", variant="stop", size="sm", visible=False, elem_id="delete-btn")
                        with gr.Row(visible=False, elem_id="delete-confirm") as confirm_row:
                            gr.HTML('<div class="nq-confirm">Delete it from the library for good?</div>', js_on_load=None)
                            confirm_btn = gr.Button("Yes, delete", variant="stop", size="sm", elem_id="delete-yes")
                            cancel_btn = gr.Button("Keep it", size="sm", elem_id="delete-no")
                        lib_msg = gr.HTML("", elem_id="library-message", js_on_load=None)

        # ---------------------------------------------------------- events

        ask_inputs = [question, turns, f_sources, f_since, f_until, f_as_of]
        ask_outputs = [question, turns, chat_log, sources_panel]
        question.submit(ask, ask_inputs, ask_outputs, concurrency_limit=2)
        ask_btn.click(ask, ask_inputs, ask_outputs, concurrency_limit=2)
        for btn, q in zip(example_btns, EXAMPLES):
            btn.click(lambda q=q: q, None, question, queue=False).then(ask, ask_inputs, ask_outputs, concurrency_limit=2)
        clear_btn.click(clear, None, [turns, chat_log, sources_panel], queue=False)

        lib_outputs = [lib_table, lib_note, f_sources]
        blocks.load(refresh_library, lib_search, lib_outputs)
        lib_refresh.click(refresh_library, lib_search, lib_outputs)
        lib_search.change(list_library, lib_search, [lib_table, lib_note])
        lib_table.select(open_article, None, [selected, reader, delete_btn, confirm_row, lib_msg])
        delete_btn.click(lambda: gr.update(visible=True), None, confirm_row, queue=False)
        cancel_btn.click(lambda: gr.update(visible=False), None, confirm_row, queue=False)
        confirm_btn.click(
            delete_article,
            [selected, lib_search],
            [selected, reader, delete_btn, confirm_row, lib_msg, lib_table, lib_note, f_sources],
        )
        upload.upload(ingest_uploads, [upload, lib_search], [upload_results, upload, lib_table, lib_note, f_sources])
    return blocks


def history_of(turns) -> list[tuple[str, str]]:
    """Earlier answered turns as (role, content) pairs for a follow-up question."""
    pairs: list[tuple[str, str]] = []
    for t in list(turns)[-HISTORY_TURNS:]:
        if t.answer is not None:
            pairs += [("user", t.question), ("assistant", t.answer.text)]
    return pairs


def filters_in_words(f: Filters) -> str:
    """The filters of a question, said plainly under it in the chat."""
    words = []
    if f.sources:
        words.append("sources: " + ", ".join(f.sources))
    if f.since:
        words.append(f"from {f.since}")
    if f.until:
        words.append(f"until {f.until}")
    if f.as_of:
        words.append(f"as of {f.as_of}")
    return " · ".join(words)
