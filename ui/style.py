"""The page's stylesheet (kept in Python so it ships with the package without package-data)."""

CSS = """
/* newsqa chat page. Colours lean on Gradio's theme variables. */

.gradio-container { max-width: 1320px !important; width: 100% !important; margin: 0 auto !important; }

#nq-header { padding: 4px 2px 0; }
.nq-brand { display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
.nq-logo { font-size: 1.5rem; font-weight: 700; letter-spacing: -0.02em; color: var(--color-accent); }
.nq-tagline { color: var(--body-text-color-subdued); font-size: 0.95rem; }

/* ---------------------------------------------------------------- chat log */

#chat-log { width: 100%; }
.nq-chat {
  height: 58vh; min-height: 320px; overflow-y: auto;
  padding: 14px; border: 1px solid var(--border-color-primary);
  border-radius: var(--radius-lg); background: var(--background-fill-secondary);
}
.nq-chat-empty { display: flex; align-items: center; justify-content: center; }
.nq-welcome { max-width: 460px; text-align: center; color: var(--body-text-color-subdued); }
.nq-welcome h3 { margin: 0 0 8px; color: var(--body-text-color); font-size: 1.15rem; }
.nq-cite-sample { color: var(--color-accent); font-weight: 600; }

.nq-turn { margin-bottom: 14px; }
.nq-row { display: flex; margin: 6px 0; }
.nq-row-user { justify-content: flex-end; }
.nq-row-bot { justify-content: flex-start; }
.nq-bubble {
  max-width: 88%; padding: 10px 14px; border-radius: 14px; line-height: 1.55;
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.nq-user { background: var(--color-accent); color: white; border-bottom-right-radius: 4px; }
.nq-filters-used { font-size: 0.75rem; opacity: 0.85; margin-top: 2px; }
.nq-bot {
  background: var(--background-fill-primary); border: 1px solid var(--border-color-primary);
  border-bottom-left-radius: 4px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.04);
}

.nq-cite {
  display: inline; padding: 0 3px; margin: 0 1px; border: 0; border-radius: 4px;
  background: color-mix(in srgb, var(--color-accent) 12%, transparent);
  color: var(--color-accent); font: inherit; font-size: 0.82em; font-weight: 600;
  cursor: pointer; vertical-align: 0.1em; line-height: 1.2;
}
.nq-cite:hover, .nq-cite:focus-visible { background: var(--color-accent); color: white; outline: none; }

.nq-sent.nq-unsupported {
  text-decoration: underline wavy #d97706; text-underline-offset: 3px;
  background: rgba(217, 119, 6, 0.07); cursor: help;
}
.nq-flag {
  display: inline-block; font-size: 0.68em; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.04em; color: #b45309; border: 1px solid #f1c48b; background: #fff7ed;
  border-radius: 4px; padding: 0 4px; vertical-align: 0.15em;
}

.nq-abstained { background: #f3f6fa; border-color: #d7e0ea; }
.nq-abstain { display: flex; gap: 10px; align-items: flex-start; }
.nq-abstain-icon {
  flex: none; width: 1.3em; height: 1.3em; margin-top: 0.1em; border-radius: 50%;
  border: 1.5px solid #7890ab; color: #5b7796; font: italic 600 0.8rem/1.2rem Georgia, serif; text-align: center;
}
.nq-abstain-text { color: #334a63; font-weight: 500; }
.nq-abstain-hint, .nq-abstain-why { color: #5d7085; font-size: 0.86rem; margin-top: 2px; }

.nq-notice { margin-top: 8px; font-size: 0.85rem; padding: 6px 10px; border-radius: 8px; }
.nq-fallback { background: #fff7ed; border: 1px solid #f6d3a6; color: #8a4b0f; }
.nq-legend { background: transparent; padding: 0; color: var(--body-text-color-subdued); }
.nq-meta { margin-top: 8px; font-size: 0.74rem; color: var(--body-text-color-subdued); white-space: normal; }
.nq-error { background: #fef2f2; border-color: #f5c2c2; }
.nq-error-text { color: #9b1c1c; }
.nq-thinking { color: var(--body-text-color-subdued); font-style: italic; }
.nq-caret {
  display: inline-block; width: 0.5em; height: 1em; margin-left: 2px; vertical-align: text-bottom;
  background: var(--color-accent); animation: nq-blink 1s steps(2, start) infinite;
}
@keyframes nq-blink { to { visibility: hidden; } }

#ask-row { align-items: stretch; }
#examples-row { gap: 6px; flex-wrap: wrap; }
#examples-row button.nq-example {
  flex: 0 1 auto !important; border-radius: 999px; font-weight: 400; padding: 4px 12px;
}
#clear-btn { max-width: 200px; }

/* ---------------------------------------------------------------- sources panel */

#sources-column { position: sticky; top: 8px; align-self: flex-start; }
.nq-sources {
  max-height: calc(100vh - 120px); overflow-y: auto; padding: 12px 14px;
  border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
  background: var(--background-fill-primary);
}
.nq-panel-title { font-weight: 700; font-size: 1rem; margin-bottom: 6px; }
.nq-sources-empty p { color: var(--body-text-color-subdued); margin: 0; }
.nq-turn-sources { display: none; }
.nq-turn-sources.nq-active { display: block; }
.nq-src-q { font-size: 0.82rem; color: var(--body-text-color-subdued); margin-bottom: 10px; overflow-wrap: anywhere; }
.nq-src-none { color: #5d7085; }
.nq-src {
  border: 1px solid var(--border-color-primary); border-left: 4px solid var(--border-color-primary);
  border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; transition: border-color 0.2s, box-shadow 0.2s;
}
.nq-src.nq-selected {
  border-color: var(--color-accent); border-left-color: var(--color-accent);
  box-shadow: 0 0 0 3px color-mix(in srgb, var(--color-accent) 18%, transparent);
}
.nq-src-head { display: flex; gap: 8px; align-items: baseline; }
.nq-src-n { color: var(--color-accent); font-weight: 700; }
.nq-src-title { font-weight: 600; line-height: 1.35; overflow-wrap: anywhere; }
.nq-src-meta { font-size: 0.78rem; color: var(--body-text-color-subdued); margin: 3px 0 6px; }
.nq-src-meta a, .nq-reader-meta a { color: var(--color-accent); }
.nq-src-para { font-size: 0.9rem; line-height: 1.55; overflow-wrap: anywhere; color: var(--body-text-color-subdued); }
.nq-src-para p { margin: 0 0 0.45em; }
.nq-src-para p:last-child { margin-bottom: 0; }
.nq-src-para mark.nq-quote { color: var(--body-text-color); }
.nq-short { font-size: 1.05em; margin-bottom: 4px; }
.nq-short strong { font-weight: 700; }
.nq-disagree { margin-bottom: 6px; }
.nq-disagree-head { font-size: 0.85em; font-weight: 600; margin-bottom: 3px; }
.nq-values { display: flex; gap: 10px; flex-wrap: wrap; }
.nq-value { border: 1px solid rgba(128, 128, 128, 0.4); border-radius: 6px; padding: 4px 8px; }
.nq-value-src { font-size: 0.8em; opacity: 0.8; }
mark.nq-quote { background: #fde68a; color: inherit; padding: 1px 0; border-radius: 2px; }
.nq-src.nq-selected mark.nq-quote { background: #fcd34d; }

/* ---------------------------------------------------------------- library */

#library-table table, #library-table td, #library-table th, #library-table span, #library-table [role=gridcell] {
  font-family: var(--font) !important; font-size: 0.88rem;
}
#library-table tbody tr { cursor: pointer; }

.nq-reader {
  border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg);
  padding: 14px 16px; max-height: 70vh; overflow-y: auto; background: var(--background-fill-primary);
}
.nq-reader-empty { color: var(--body-text-color-subdued); }
.nq-reader-title { margin: 0 0 4px; font-size: 1.2rem; line-height: 1.3; overflow-wrap: anywhere; }
.nq-reader-meta { font-size: 0.8rem; color: var(--body-text-color-subdued); margin-bottom: 10px; }
.nq-reader-text p { margin: 0 0 0.7em; line-height: 1.6; overflow-wrap: anywhere; }
.nq-confirm { padding: 6px 0; font-weight: 500; }
#delete-btn { max-width: 220px; }
.nq-msg { padding: 6px 10px; border-radius: 8px; font-size: 0.9rem; }
.nq-msg-ok { background: #ecfdf3; color: #166534; }
.nq-msg-error { background: #fef2f2; color: #9b1c1c; }

.nq-upload { margin-top: 6px; }
.nq-up-summary { font-weight: 600; margin-bottom: 6px; }
.nq-up-table, .nq-up-table thead, .nq-up-table tbody, .nq-up-table tr {
  border: 0 !important; border-color: var(--border-color-primary) !important;
}
.nq-up-table { width: 100%; border-collapse: collapse; font-size: 0.86rem; }
.nq-up-table th, .nq-up-table td {
  text-align: left; padding: 4px 8px !important; border: 0 !important;
  border-bottom: 1px solid var(--border-color-primary) !important; overflow-wrap: anywhere;
}
.nq-up-table th { font-weight: 600; color: var(--body-text-color-subdued); }
.nq-up-added .nq-up-status, .nq-up-updated .nq-up-status { color: #166534; font-weight: 600; }
.nq-up-skipped .nq-up-status { color: #b45309; font-weight: 600; }
.nq-up-unchanged .nq-up-status { color: var(--body-text-color-subdued); }

@media (max-width: 900px) {
  #sources-column { position: static; }
  .nq-chat { height: 50vh; }
}
"""
