"""Adapters that let other frameworks use newsqa's retrieval and verified answers.

Each adapter is its own module and imports its framework at the top, so nothing on the
extractive path (rag.service, the CLI, the API) pays a framework's start-up time: only
code that imports an adapter does.
"""
