"""Speaker measurements: fundamental frequency (YIN) and speaking tempo, from mono float audio."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 16000
FRAME = 640  # 40 ms: two periods of the lowest voice we track
HOP = 160  # 10 ms
MIN_F0 = 60.0
MAX_F0 = 450.0
YIN_THRESHOLD = 0.15


@dataclass(frozen=True)
class Measurement:
    median_f0: float
    f0_spread_cents: float
    voiced_seconds: float
    syllables_per_second: float


def _difference(frame: np.ndarray, max_lag: int) -> np.ndarray:
    """YIN's d(tau) = sum (x[j] - x[j + tau])^2 over the first FRAME samples, for every lag at once:
    the window's energy plus the shifted window's energy minus twice their cross-correlation."""
    head = frame[:FRAME]
    size = 1 << int(np.ceil(np.log2(len(frame) + FRAME)))
    cross = np.fft.irfft(np.fft.rfft(frame, size) * np.conj(np.fft.rfft(head, size)), size)[: max_lag + 1]
    squares = np.concatenate([[0.0], np.cumsum(frame ** 2)])
    lags = np.arange(max_lag + 1)
    shifted = squares[lags + FRAME] - squares[lags]
    return np.maximum(squares[FRAME] + shifted - 2 * cross, 0.0)


def f0_track(audio: np.ndarray) -> np.ndarray:
    """F0 in Hz per 10 ms voiced frame (YIN with parabolic refinement); unvoiced frames are dropped."""
    x = np.asarray(audio, dtype=np.float64)
    if len(x) < FRAME * 2:
        return np.zeros(0)
    rms_gate = 0.1 * float(np.sqrt(np.mean(x ** 2)) or 1e-9)
    min_lag = int(RATE / MAX_F0)
    max_lag = int(RATE / MIN_F0)
    out = []
    for start in range(0, len(x) - FRAME - max_lag, HOP):
        frame = x[start:start + FRAME + max_lag]
        if np.sqrt(np.mean(frame[:FRAME] ** 2)) < rms_gate:
            continue
        d = _difference(frame, max_lag)
        cumulative = np.cumsum(d[1:])
        cmnd = np.ones_like(d)
        cmnd[1:] = d[1:] * np.arange(1, len(d)) / np.maximum(cumulative, 1e-12)
        below = np.where(cmnd[min_lag:] < YIN_THRESHOLD)[0]
        if len(below) == 0:
            continue
        lag = below[0] + min_lag
        while lag + 1 < len(cmnd) and cmnd[lag + 1] < cmnd[lag]:
            lag += 1
        if 0 < lag < len(cmnd) - 1:
            a, b, c = cmnd[lag - 1], cmnd[lag], cmnd[lag + 1]
            denominator = a - 2 * b + c
            lag = lag + (0.5 * (a - c) / denominator if denominator else 0.0)
        out.append(RATE / lag)
    return np.array(out)


def syllable_rate(audio: np.ndarray) -> float:
    """Syllables per second of speech, from peaks of the smoothed energy envelope."""
    x = np.asarray(audio, dtype=np.float64)
    hop = RATE // 100
    energy = np.array([np.sqrt(np.mean(x[i:i + hop] ** 2)) for i in range(0, len(x) - hop, hop)])
    if len(energy) < 5:
        return 0.0
    kernel = np.hanning(9)
    smooth = np.convolve(energy, kernel / kernel.sum(), mode="same")
    gate = 0.2 * smooth.max()
    speaking = smooth > gate
    peaks = [
        i for i in range(1, len(smooth) - 1)
        if smooth[i] > gate and smooth[i] >= smooth[i - 1] and smooth[i] > smooth[i + 1]
    ]
    seconds = speaking.sum() / 100
    return len(peaks) / seconds if seconds > 0 else 0.0


def measure(audio: np.ndarray) -> Measurement:
    f0 = f0_track(audio)
    if len(f0) < 20:
        raise ValueError("too little voiced speech to measure (need about a second)")
    median = float(np.median(f0))
    cents = 1200 * np.log2(f0 / median)
    spread = float(np.percentile(cents, 84) - np.percentile(cents, 16)) / 2
    return Measurement(median, spread, len(f0) * HOP / RATE, syllable_rate(audio))


def cents_between(a: float, b: float) -> float:
    return float(1200 * np.log2(a / b))
