"""Speaker measurements from mono 16 kHz float audio: fundamental frequency (YIN, two passes) and
speaking rate (syllable nuclei per second of speaking time).

Pitch: a first pass over 50-600 Hz finds the speaker's quartiles, and a second pass tracks again
between 0.75 x Q1 and 1.5 x Q3, which removes most octave jumps and the pitch of background hum
(after Hirst's two-pass method). Speaking rate: a syllable nucleus is a voiced peak of loudness
with a dip of at least 2 dB before it (after de Jong and Wempe); speaking time is every stretch
less than 25 dB below the loudest part, pauses shorter than 0.1 s included.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 16000
FRAME = 640  # 40 ms: two periods of the lowest voice we track
LOUDNESS_FRAME = 320  # 20 ms: short enough to see the dip between fast syllables
HOP = 160  # 10 ms
FIRST_PASS = (50.0, 600.0)
YIN_THRESHOLD = 0.2
BATCH = 512  # frames per FFT batch: bounds memory to a few MB whatever the length
SILENCE_DB = 25.0
DIP_DB = 2.0
MIN_PAUSE_FRAMES = 10  # 0.1 s
MIN_SOUNDING_FRAMES = 5  # 50 ms


@dataclass(frozen=True)
class Measurement:
    median_f0: float
    f0_spread_cents: float
    voiced_seconds: float
    syllables_per_second: float
    # Median length of the stretches between pauses: under a second means isolated words.
    phrase_seconds: float = 0.0


def _frames(x: np.ndarray, start: int, count: int, width: int) -> np.ndarray:
    index = (start + np.arange(count) * HOP)[:, None] + np.arange(width)[None, :]
    return x[index]


def pitch_track(audio: np.ndarray, low: float, high: float) -> np.ndarray:
    """F0 in Hz for every 10 ms frame, 0 where the frame is unvoiced or quiet."""
    x = np.asarray(audio, dtype=np.float64)
    min_lag = max(2, int(RATE / high))
    max_lag = int(np.ceil(RATE / low))
    width = FRAME + max_lag
    count = max(0, (len(x) - width) // HOP + 1)
    out = np.zeros(count)
    if count == 0:
        return out
    size = 1 << int(np.ceil(np.log2(width + FRAME)))
    lags = np.arange(max_lag + 1)
    for first in range(0, count, BATCH):
        n = min(BATCH, count - first)
        frames = _frames(x, first * HOP, n, width)
        head = frames[:, :FRAME]
        level = np.sqrt((head ** 2).mean(axis=1))
        cross = np.fft.irfft(np.fft.rfft(frames, size, axis=1) * np.conj(np.fft.rfft(head, size, axis=1)), size, axis=1)
        cross = cross[:, : max_lag + 1]
        squares = np.concatenate([np.zeros((n, 1)), np.cumsum(frames ** 2, axis=1)], axis=1)
        shifted = squares[:, lags + FRAME] - squares[:, lags]
        d = np.maximum(squares[:, FRAME:FRAME + 1] + shifted - 2 * cross, 0.0)
        cmnd = np.ones_like(d)
        cumulative = np.cumsum(d[:, 1:], axis=1)
        cmnd[:, 1:] = d[:, 1:] * lags[1:] / np.maximum(cumulative, 1e-12)
        for row in range(n):
            if level[row] < 1e-4:
                continue
            c = cmnd[row]
            below = np.flatnonzero(c[min_lag:max_lag] < YIN_THRESHOLD)
            if len(below) == 0:
                continue
            lag = below[0] + min_lag
            while lag + 1 < max_lag and c[lag + 1] < c[lag]:
                lag += 1
            a, b, e = c[lag - 1], c[lag], c[lag + 1]
            denominator = a - 2 * b + e
            refined = lag + (0.5 * (a - e) / denominator if denominator else 0.0)
            out[first + row] = RATE / refined
    return _drop_quiet(out, x)


def _drop_quiet(f0: np.ndarray, x: np.ndarray) -> np.ndarray:
    db = intensity_db(x)[: len(f0)]
    if len(db):
        f0[: len(db)][db < db.max() - SILENCE_DB] = 0.0
    return f0


def two_pass_track(audio: np.ndarray) -> np.ndarray:
    """F0 for every 10 ms frame (0 where unvoiced): a first pass over 50-600 Hz finds the
    speaker's quartiles, the second tracks between 0.75 x Q1 and 1.5 x Q3."""
    first = pitch_track(audio, *FIRST_PASS)
    voiced = first[first > 0]
    if len(voiced) < 20:
        return first
    q1, q3 = np.percentile(voiced, [25, 75])
    return pitch_track(audio, max(FIRST_PASS[0], 0.75 * q1), min(FIRST_PASS[1], 1.5 * q3))


def f0_track(audio: np.ndarray) -> np.ndarray:
    """F0 in Hz of the voiced frames, tracked in two passes."""
    track = two_pass_track(audio)
    return track[track > 0]


def intensity_db(audio: np.ndarray) -> np.ndarray:
    """Loudness of every 10 ms hop over a 20 ms Hann window, in dB."""
    x = np.asarray(audio, dtype=np.float64)
    count = max(0, (len(x) - LOUDNESS_FRAME) // HOP + 1)
    window = np.hanning(LOUDNESS_FRAME)
    window /= window.sum()
    out = np.empty(count)
    for first in range(0, count, BATCH * 4):
        n = min(BATCH * 4, count - first)
        frames = _frames(x, first * HOP, n, LOUDNESS_FRAME)
        out[first:first + n] = 10 * np.log10((frames ** 2 * window).sum(axis=1) + 1e-12)
    # Frame i is centred on sample i * HOP + FRAME / 2: shift so index i means time i * 10 ms.
    return np.concatenate([np.full(LOUDNESS_FRAME // (2 * HOP), out[0] if count else -120.0), out])


def sounding(db: np.ndarray) -> np.ndarray:
    """Which hops are speaking time: within 25 dB of the loudest, short pauses included."""
    if len(db) == 0:
        return np.zeros(0, dtype=bool)
    loud = db > np.percentile(db, 99.5) - SILENCE_DB
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]])))
    runs = list(zip(edges[::2], edges[1::2]))
    mask = np.zeros(len(db), dtype=bool)
    for start, end in runs:
        mask[start:end] = True
    for (_, end), (start, _) in zip(runs, runs[1:]):
        if start - end < MIN_PAUSE_FRAMES:
            mask[end:start] = True
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    for start, end in zip(edges[::2], edges[1::2]):
        if end - start < MIN_SOUNDING_FRAMES:
            mask[start:end] = False
    return mask


def syllable_nuclei(db: np.ndarray, voiced: np.ndarray, speaking: np.ndarray) -> int:
    """Voiced loudness peaks preceded by a dip of at least 2 dB, inside speaking time."""
    threshold = np.median(db[speaking]) if speaking.any() else np.inf
    peaks = [
        i for i in range(1, len(db) - 1)
        if speaking[i] and db[i] > threshold and db[i] >= db[i - 1] and db[i] > db[i + 1]
    ]
    count = 0
    previous = None
    for peak in peaks:
        if previous is not None and db[peak] - db[previous:peak + 1].min() < DIP_DB:
            # No real dip since the last nucleus: the same syllable, keep the louder peak.
            if db[peak] > db[previous]:
                previous = peak
            continue
        if voiced[max(0, peak - 2):peak + 3].any():
            count += 1
            previous = peak
    return count


def speaking_seconds(audio: np.ndarray) -> float:
    return float(sounding(intensity_db(audio)).sum() * HOP / RATE)


def phrase_seconds(audio: np.ndarray) -> float:
    mask = sounding(intensity_db(audio))
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    runs = edges[1::2] - edges[::2]
    return float(np.median(runs) * HOP / RATE) if len(runs) else 0.0


def speech_rate(audio: np.ndarray, voiced_mask: np.ndarray | None = None) -> float:
    """Syllables per second of speaking time."""
    db = intensity_db(audio)
    speaking = sounding(db)
    if voiced_mask is None:
        voiced_mask = pitch_track(audio, *FIRST_PASS) > 0
    voiced = np.zeros(len(db), dtype=bool)
    n = min(len(db), len(voiced_mask))
    voiced[:n] = voiced_mask[:n]
    seconds = speaking.sum() * HOP / RATE
    return syllable_nuclei(db, voiced, speaking) / seconds if seconds > 0 else 0.0


def measure(audio: np.ndarray) -> Measurement:
    track = two_pass_track(audio)
    f0 = track[track > 0]
    if len(f0) < 20:
        raise ValueError("too little voiced speech to measure (need about a second)")
    median = float(np.median(f0))
    cents = 1200 * np.log2(f0 / median)
    spread = float(np.percentile(cents, 84) - np.percentile(cents, 16)) / 2
    return Measurement(
        median, spread, len(f0) * HOP / RATE, speech_rate(audio, track > 0), phrase_seconds(audio)
    )


def cents_between(a: float, b: float) -> float:
    return float(1200 * np.log2(a / b))
