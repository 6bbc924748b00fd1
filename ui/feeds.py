"""The Feeds section of the page's Library tab: watch a feed, see how its polls went, fetch now, stop watching.

The handlers are plain functions over ``rag.feeds`` (the same service as ``newsqa watch`` and
``/v1/feeds``), so they can be tested without a browser; ``feeds_section`` lays them out and wires them.
"""

from __future__ import annotations

from html import escape

import gradio as gr

from rag import feeds

HEADERS = ["Feed", "Title", "Articles", "Last fetch", "Last new item", "Errors", "ID"]


def feed_rows(library) -> list[list]:
    """One row per watched feed: url, title, articles, last fetch and status, last new item, last error."""
    rows = []
    for f in feeds.list_feeds(library.settings.data_dir):
        new = f.get("last_new_item") or {}
        err = f.get("last_error") or {}
        errors = f"{f['errors']} in a row: {err.get('reason', '')}" if f.get("errors") else ""
        fetched = f"{f['last_fetch']} ({f.get('last_status')})" if f.get("last_fetch") else "not yet"
        rows.append([f["url"], f.get("title") or "", f.get("items", 0), fetched,
                     f"{new.get('at', '')} {new.get('title', '')}".strip() or "none yet", errors, f["id"]])
    return rows


def report_html(reports) -> str:
    """What a poll did, feed by feed, with each skipped item's reason."""
    parts = []
    for r in reports:
        skipped = "".join(f"<li>{escape(i)}: {escape(why)}</li>" for i, why in r.skipped[:20])
        parts.append(f'<div class="nq-feed-report{" nq-error" if r.error else ""}">{escape(r.line())}'
                     + (f"<ul>{skipped}</ul>" if skipped else "") + "</div>")
    return "".join(parts)


def watch_feed(library, url: str) -> tuple[str, list[list], str]:
    """Watch ``url`` and poll it at once; returns (message, rows, the url box's new value)."""
    try:
        rec, new = feeds.add_feed(library, url)
    except feeds.FeedsError as e:
        return f'<div class="nq-error">{escape(str(e))}</div>', feed_rows(library), url
    reports = feeds.poll(library, [rec["id"]])
    note = "" if new else f"<div>{escape(rec['url'])} was already watched; fetched it again.</div>"
    return note + report_html(reports), feed_rows(library), ""


def poll_all(library) -> tuple[str, list[list]]:
    """Poll every watched feed now."""
    try:
        reports = feeds.poll(library)
    except feeds.FeedsError as e:
        return f'<div class="nq-error">{escape(str(e))}</div>', feed_rows(library)
    return report_html(reports) or "<div>No feeds are watched yet.</div>", feed_rows(library)


def stop_watching(library, key: str) -> tuple[str, list[list], str]:
    """Stop watching a feed (by id or url); its articles stay."""
    if not (key or "").strip():
        return "<div>Pick a feed in the table first.</div>", feed_rows(library), ""
    rec = feeds.remove_feed(library, key)
    if rec is None:
        return f'<div class="nq-error">No watched feed {escape(key)}.</div>', feed_rows(library), ""
    return f"<div>Stopped watching {escape(rec['url'])}; its {rec['items']} articles stay in the library.</div>", feed_rows(library), ""


def feeds_section(library, after=None) -> None:
    """Lay out the section inside the current column; ``after`` = (fn, inputs, outputs) refreshes the article list."""
    gr.Markdown("### Feeds")
    with gr.Row():
        url = gr.Textbox(placeholder="RSS, Atom or JSON Feed URL (http or https)", show_label=False, scale=6, elem_id="feed-url")
        add_btn = gr.Button("Watch", size="sm", scale=1, min_width=80, elem_id="feed-add")
    table = gr.Dataframe(headers=HEADERS, datatype=["str", "str", "number", "str", "str", "str", "str"], type="array",
                         value=lambda: feed_rows(library), interactive=False, wrap=True, max_height=300, elem_id="feed-table")
    with gr.Row():
        poll_btn = gr.Button("Fetch all now", size="sm", elem_id="feed-poll")
        chosen = gr.Textbox(placeholder="feed id (pick a row)", show_label=False, scale=2, elem_id="feed-chosen")
        stop_btn = gr.Button("Stop watching", size="sm", variant="stop", elem_id="feed-stop")
    message = gr.HTML("", elem_id="feed-message", js_on_load=None)

    def then(event):
        return event.then(*after) if after else event

    then(add_btn.click(lambda u: watch_feed(library, u), url, [message, table, url], concurrency_limit=1))
    then(url.submit(lambda u: watch_feed(library, u), url, [message, table, url], concurrency_limit=1))
    then(poll_btn.click(lambda: poll_all(library), None, [message, table], concurrency_limit=1))
    stop_btn.click(lambda k: stop_watching(library, k), chosen, [message, table, chosen])

    def pick(evt: gr.SelectData) -> str:
        return str((evt.row_value or [""])[-1])

    table.select(pick, None, chosen)
