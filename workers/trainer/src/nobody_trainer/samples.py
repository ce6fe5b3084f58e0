"""Loads a voice's samples as one mono 16 kHz signal for measuring."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nobody_common.audio import resample
from nobody_trainer.decode import decode
from nobody_trainer.measure import RATE


def load(path: Path) -> np.ndarray:
    decoded = decode(path, path.suffix.lower().lstrip("."))
    return resample(decoded.audio, decoded.rate, RATE)


def load_all(paths: list[Path]) -> np.ndarray:
    if not paths:
        raise ValueError("the voice has no samples")
    return np.concatenate([load(p) for p in paths])
