"""Loads a voice's samples as one mono 16 kHz signal (WAV directly, other formats through sox)."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

from nobody_common.audio import resample
from nobody_trainer.measure import RATE


def load(path: Path) -> np.ndarray:
    if path.suffix.lower() == ".wav":
        with wave.open(str(path), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
        if width == 2:
            samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        elif width == 4:
            samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
        else:
            raise ValueError(f"{path.name}: {8 * width}-bit WAV is not supported")
        mono = samples.reshape(-1, channels).mean(axis=1)
        return resample(mono, rate, RATE)
    sox = shutil.which("sox")
    if sox is None:
        raise ValueError(f"{path.name}: decoding {path.suffix} needs sox")
    out = subprocess.run(
        [sox, str(path), "-t", "raw", "-r", str(RATE), "-e", "float", "-b", "32", "-c", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype="<f4").copy()


def load_all(paths: list[Path]) -> np.ndarray:
    if not paths:
        raise ValueError("the voice has no samples")
    return np.concatenate([load(p) for p in paths])
