"""The ways in that sit above every layer: the ``newsqa`` command line and the HTTP server (API + chat page).

They import from ``rag`` (answering), ``ingest`` (the store), ``ui`` (the page) and ``evals`` (``newsqa eval``);
nothing below imports from here.
"""
