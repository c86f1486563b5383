"""Hashed character n-grams: per-message, batch-independent, normalised, nothing dropped."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sqm.spam.core.features import NgramHasher, codepoints

HASHER = NgramHasher(bits=18, max_n=4)


def _bag(text: str, hasher: NgramHasher = HASHER) -> list[int]:
    _, buckets = hasher.entries([text])
    return sorted(buckets.tolist())


def _expected_count(length: int, max_n: int) -> int:
    # Each message is framed by a boundary mark on both sides; unigrams skip the marks.
    padded = length + 2
    return length + sum(max(0, padded - n + 1) for n in range(2, max_n + 1))


@given(st.lists(st.text(max_size=40), min_size=1, max_size=30))
def test_a_message_gets_the_same_features_alone_as_in_any_batch(texts: list[str]) -> None:
    docs, buckets = HASHER.entries(texts)
    for index, text in enumerate(texts):
        assert sorted(buckets[docs == index].tolist()) == _bag(text)


@given(st.text(max_size=60))
def test_n_grams_never_cross_into_the_next_message(text: str) -> None:
    docs, _ = HASHER.entries([text, "下一条", text])
    length = len(text.replace("\x02", " "))
    assert np.sum(docs == 0) == _expected_count(length, HASHER.max_n)
    assert np.sum(docs == 1) == _expected_count(3, HASHER.max_n)


def test_chunk_boundaries_change_nothing() -> None:
    texts = [f"第{i}条 message {i}" for i in range(1300)]
    whole = HASHER.counts(texts)
    docs, buckets = [], []
    for start, stop, doc, bucket in HASHER.iter_entries(texts, chunk=97):
        assert doc.max() < stop - start
        docs.append(doc + start)
        buckets.append(bucket)
    small = np.stack([np.concatenate(docs), np.concatenate(buckets)])
    large = np.stack(HASHER.entries(texts))  # chunks of 512
    assert np.array_equal(small[:, np.lexsort(small)], large[:, np.lexsort(large)])
    assert whole.shape == (1300, HASHER.n_features) and whole.sum() == large.shape[1]


def test_full_width_case_and_digit_variants_are_one_spelling() -> None:
    assert _bag("ＶＩＰ专线１３９") == _bag("vip专线777")
    assert _bag("Call\tNOW") == _bag("call now")
    assert _bag("代开发票") != _bag("代开发漂")


def test_private_use_emoji_are_kept_as_characters() -> None:
    with_emoji = "春装到店啦\ue310\ue310"
    assert _bag(with_emoji) != _bag("春装到店啦")
    assert 0xE310 in codepoints([with_emoji]).tolist()


def test_the_count_matrix_counts_repeated_n_grams() -> None:
    matrix = HASHER.counts(["aaaa"])
    # unigram "a" appears four times; the total is every n-gram occurrence
    assert matrix.max() == 4
    assert matrix.sum() == _expected_count(4, HASHER.max_n)


def test_a_lone_surrogate_is_a_character_not_an_error() -> None:
    docs, _ = HASHER.entries(["ok\ud800ok", "next"])
    assert np.sum(docs == 0) == _expected_count(5, HASHER.max_n)
