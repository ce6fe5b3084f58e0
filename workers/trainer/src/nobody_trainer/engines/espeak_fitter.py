"""Fits an espeak-ng speaker profile to a person's samples by synthesize-measure-correct: choose the
base voice whose pitch range covers the speaker, then adjust espeak's pitch until the synthesized
median F0 matches the measured one, and its words per minute until the syllable rate matches."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import numpy as np

from nobody_common.audio import from_s16le, resample
from nobody_common.files import write_atomically
from nobody_trainer.measure import RATE, Measurement, cents_between, measure

PROFILE = "espeak_profile.json"
# Varied phonetic material, so the measured F0 is that of running speech.
PROBE = (
    "The quick brown fox jumps over the lazy dog. She sells sea shells by the sea shore, "
    "and a large round moon rose over the quiet hills."
)
# Base voices: espeak-ng's default male and a female variant; pitch 0-99 moves within each.
BASES = ("en-us", "en-us+f3")
TOLERANCE_CENTS = 15.0
MAX_STEPS = 8


def synthesize(text: str, voice: str, pitch: int, wpm: int) -> np.ndarray:
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise RuntimeError("espeak-ng is not installed")
    wav = subprocess.run(
        [binary, "--stdout", "-v", voice, "-p", str(pitch), "-s", str(wpm)],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout
    return resample(from_s16le(wav[44:]), 22050, RATE)


Progress = Callable[[str, float, str], None]


def fit(target: Measurement, progress: Progress) -> dict:
    """Returns the profile; progress(stage, percent, message) reports as it goes."""
    # Where can each base voice go? Its F0 at pitch 0 and 99 bounds it.
    best: tuple[float, str] | None = None
    for i, base in enumerate(BASES):
        low = measure(synthesize(PROBE, base, 0, 175)).median_f0
        high = measure(synthesize(PROBE, base, 99, 175)).median_f0
        progress("fitting", 10 + 10 * (i + 1), f"{base} reaches {low:.0f}-{high:.0f} Hz")
        inside = low <= target.median_f0 <= high
        distance = 0.0 if inside else min(abs(cents_between(target.median_f0, low)), abs(cents_between(target.median_f0, high)))
        if best is None or distance < best[0]:
            best = (distance, base)
    voice = best[1]
    # Tempo first: espeak's intonation changes with the speaking rate, so pitch is fitted at the
    # rate the voice will speak. The syllable-rate measure is not proportional to words per minute,
    # so it is corrected in a few proportional steps.
    wpm = 175
    rate = 0.0
    if target.syllables_per_second > 0:
        for _ in range(4):
            rate = measure(synthesize(PROBE, voice, 50, wpm)).syllables_per_second
            if rate <= 0 or abs(rate / target.syllables_per_second - 1) < 0.03:
                break
            wpm = int(np.clip(wpm * target.syllables_per_second / rate, 80, 450))
    progress("fitting", 40, f"{wpm} words per minute")
    lo, hi = 0, 99
    pitch = 50
    # Bisection can step past the closest pitch it measured: keep the best one seen.
    best_pitch, measured, best_error = pitch, 0.0, np.inf
    for step in range(MAX_STEPS):
        f0 = measure(synthesize(PROBE, voice, pitch, wpm)).median_f0
        error = cents_between(f0, target.median_f0)
        progress("fitting", 40 + 40 * (step + 1) / MAX_STEPS, f"pitch {pitch}: {f0:.1f} Hz ({error:+.0f} cents)")
        if abs(error) < best_error:
            best_pitch, measured, best_error = pitch, f0, abs(error)
        if abs(error) <= TOLERANCE_CENTS:
            break
        # espeak's pitch is monotonic in F0: bisect the remaining range.
        if error > 0:
            hi = pitch - 1
        else:
            lo = pitch + 1
        if lo > hi:
            break
        pitch = (lo + hi) // 2
    pitch = best_pitch
    return {
        "voice": voice,
        "pitch": pitch,
        "wpm": wpm,
        "fitted_f0": round(measured, 2),
        "fitted_syllables_per_second": round(rate, 2),
        "measured": {
            "median_f0": round(target.median_f0, 2),
            "f0_spread_cents": round(target.f0_spread_cents, 1),
            "voiced_seconds": round(target.voiced_seconds, 2),
            "syllables_per_second": round(target.syllables_per_second, 2),
        },
    }


def write_json(path: Path, data: dict) -> None:
    write_atomically(path, lambda f: f.write(json.dumps(data, indent=2).encode()))


class EspeakFitter:
    name = "espeak-ng profile"
    # Pitch and tempo are measured at 16 kHz; more bandwidth would not change the fit.
    sample_rate = RATE

    def train(self, audio: np.ndarray, output_dir: Path, progress: Progress) -> Path:
        progress("analyzing", 5, "measuring pitch and tempo")
        target = measure(audio)
        progress("analyzing", 10, f"median F0 {target.median_f0:.1f} Hz, {target.syllables_per_second:.1f} syllables/s")
        profile = fit(target, progress)
        progress("writing", 90, "saving the profile")
        path = output_dir / PROFILE
        write_json(path, profile)
        return path
