"""Hashed character n-grams of SMS texts, computed for a whole batch at once with NumPy.

Why characters: Chinese has no spaces, and character n-grams (1–4) catch words, brand names
and the obfuscations spammers use ("代 开 发 票", full-width digits) without a tokenizer or a
dictionary to download. Why hashing: the model needs no vocabulary, so scoring is a few array
operations over the batch and never a Python loop per message (sklearn's vectorisers run one
per message, about 10k messages/s; this runs well above 50k/s on one core).

A batch is joined into one string with a separator, viewed as UTF-32 code points, normalised
(full-width ASCII → ASCII, upper → lower case, every digit → ``0``, tab/newline/ideographic
space → space) and hashed with a rolling polynomial: the hash of the n-gram starting at ``s``
is ``h_{n-1}[s] * M ^ c[s+n-1]``, then multiply-shift to ``bits`` bits, so each n costs a
handful of vectorised operations. The separator also marks the start and end of every
message, so the edges of a message are features of their own (like sklearn's ``char_wb``).
Private-use code points (emoji in Chinese data) are kept: they are characters like any other.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

Int64Array = npt.NDArray[np.int64]

SEPARATOR = 0x02  # START OF TEXT: never typed in an SMS; the normaliser maps it to space if it is
CHUNK_MESSAGES = 512  # keeps each batch's arrays in cache; results do not depend on it

_ROLL = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


@dataclass(frozen=True, slots=True)
class NgramHasher:
    """Character n-grams of length 1..``max_n`` hashed into ``2**bits`` buckets."""

    bits: int = 20
    max_n: int = 4

    def __post_init__(self) -> None:
        if not 8 <= self.bits <= 26:
            raise ValueError("bits must be between 8 and 26")
        if not 1 <= self.max_n <= 8:
            raise ValueError("max_n must be between 1 and 8")

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    def entries(self, texts: Sequence[str]) -> tuple[Int64Array, Int64Array]:
        """Every n-gram occurrence of ``texts`` as (message index, bucket), one pair per
        occurrence (an n-gram twice in a message appears twice)."""
        docs: list[Int64Array] = []
        buckets: list[Int64Array] = []
        for start, _, doc, bucket in self.iter_entries(texts):
            docs.append(doc + start)
            buckets.append(bucket)
        if not docs:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(docs), np.concatenate(buckets)

    def iter_entries(
        self, texts: Sequence[str], chunk: int = CHUNK_MESSAGES
    ) -> Iterator[tuple[int, int, Int64Array, Int64Array]]:
        """Per chunk of messages ``texts[start:stop]``: (start, stop, message index within the
        chunk, bucket) of each n-gram occurrence."""
        for start in range(0, len(texts), chunk):
            stop = min(start + chunk, len(texts))
            doc, bucket = _chunk_entries(texts[start:stop], self.bits, self.max_n)
            yield start, stop, doc, bucket

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Messages × buckets, the number of occurrences of each n-gram (for training)."""
        doc, bucket = self.entries(texts)
        matrix = sp.csr_matrix(
            (np.ones(doc.size, np.float64), (doc, bucket)),
            shape=(len(texts), self.n_features),
        )
        matrix.sum_duplicates()
        return matrix


def codepoints(texts: Sequence[str]) -> npt.NDArray[np.uint32]:
    """The normalised code points of the batch, each message between two separators."""
    sep = chr(SEPARATOR)
    joined = sep + sep.join(t.replace(sep, " ") if sep in t else t for t in texts) + sep
    # surrogatepass: a lone surrogate (possible in JSON input) is one code point, not an error.
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    full_width = (cp >= 0xFF01) & (cp <= 0xFF5E)
    cp[full_width] -= 0xFEE0
    upper = (cp >= 0x41) & (cp <= 0x5A)
    cp[upper] += 0x20
    cp[(cp >= 0x30) & (cp <= 0x39)] = 0x30
    cp[(cp == 0x09) | (cp == 0x0A) | (cp == 0x0D) | (cp == 0x3000)] = 0x20
    return cp


def _chunk_entries(texts: Sequence[str], bits: int, max_n: int) -> tuple[Int64Array, Int64Array]:
    cp = codepoints(texts)
    is_sep = cp == SEPARATOR
    # seen[i]: separators at or before i; the message an n-gram starting at s belongs to is
    # seen[s] - 1, and it stays inside that message if no separator lies strictly inside it.
    seen = np.cumsum(is_sep, dtype=np.int64)
    length = cp.size
    shift = np.uint64(64 - bits)
    chars = cp.astype(np.uint64)
    rolling = np.zeros(length, np.uint64)
    docs: list[Int64Array] = []
    buckets: list[Int64Array] = []
    for n in range(1, max_n + 1):
        m = length - n + 1
        if m <= 0:
            break
        rolling = rolling[:m] * _ROLL ^ chars[n - 1 : n - 1 + m]
        inside = ~is_sep[:m] if n == 1 else seen[n - 2 : n - 2 + m] == seen[:m]
        bucket = ((rolling + np.uint64(n)) * _MIX) >> shift
        docs.append(seen[:m][inside] - 1)
        buckets.append(bucket[inside].astype(np.int64))
    return np.concatenate(docs), np.concatenate(buckets)
