"""Fits an espeak-ng speaker profile to a person's samples by synthesize-measure-correct.

- Tempo: espeak-ng's speaking rate is measured exactly, as the known syllables of the probe text
  over its speaking time, and its words per minute are corrected until that matches the rate
  measured in the samples (syllable nuclei per second of speaking time).
- Pitch and intonation: a variant's base and top pitch are corrected together until the probe's
  median F0 and F0 spread match the speaker's. Scaling both moves the whole contour (the spread in
  cents stays), widening the gap between them widens the intonation.
- Timbre: speakers above 165 Hz get espeak-ng's female formants (its f3 variant).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import numpy as np

from nobody_common.audio import from_s16le, resample
from nobody_common.espeak_voice import DEFAULT_PITCH, Intonation, VariantFolder
from nobody_common.files import write_atomically
from nobody_trainer.measure import RATE, Measurement, cents_between, f0_track, measure, speaking_seconds

PROFILE = "espeak_profile.json"
LANGUAGE = "en-us"
# What espeak-ng reads while it is fitted, in the style of the samples: running speech (the
# Rainbow Passage, a standard elicitation text), or isolated words for samples made of them, whose
# intonation (a fall on every word) and pace differ. Syllables by the CMU pronouncing dictionary
# (test_fitter checks both counts).
RUNNING = (
    "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. "
    "The rainbow is a division of white light into many beautiful colors. These take the shape of "
    "a long round arch, with its path high above, and its two ends apparently beyond the horizon."
)
RUNNING_SYLLABLES = 70
WORDS = (
    "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Red. Green. Blue. Black. White. "
    "Hello. Morning. Tomorrow. Yes. No."
)
WORDS_SYLLABLES = 25
ISOLATED_BELOW_S = 1.0
FEMALE_FROM_HZ = 165.0
FEMALE = Intonation(140, 240, "f3")  # espeak-ng's f3 variant, as shipped
MALE = Intonation(*DEFAULT_PITCH)
PITCH_TOLERANCE_CENTS = 10.0
SPREAD_TOLERANCE = 0.05
RATE_TOLERANCE = 0.02
STEPS = 12

Progress = Callable[[str, float, str], None]


def _espeak_binary() -> str:
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise RuntimeError("espeak-ng is not installed")
    return binary


def _speak(binary: str, voice_args: list[str], text: str, pitch: int, wpm: int) -> np.ndarray:
    """espeak-ng's speech at 16 kHz; the text goes through stdin, never the command line."""
    args = [binary, "--stdout", *voice_args, "-p", str(pitch), "-s", str(wpm)]
    wav = subprocess.run(args, input=text.encode(), capture_output=True, check=True).stdout
    return resample(from_s16le(wav[44:]), 22050, RATE)


class Speaker:
    def __init__(self) -> None:
        self.binary = _espeak_binary()
        self.folder = VariantFolder(self.binary)

    def say(self, text: str, intonation: Intonation | None, wpm: int, pitch: int = 50) -> np.ndarray:
        return _speak(self.binary, self.folder.args(LANGUAGE, intonation), text, pitch, wpm)


def synthesize(text: str, voice: str = LANGUAGE, pitch: int = 50, wpm: int = 175) -> np.ndarray:
    """Plain espeak-ng speech at 16 kHz (tests use it as a reference speaker)."""
    return _speak(_espeak_binary(), ["-v", voice], text, pitch, wpm)


def _contour(audio: np.ndarray) -> tuple[float, float]:
    f0 = f0_track(audio)
    if len(f0) < 20:
        raise RuntimeError("espeak-ng produced too little voiced speech to measure")
    median = float(np.median(f0))
    cents = 1200 * np.log2(f0 / median)
    return median, float(np.percentile(cents, 84) - np.percentile(cents, 16)) / 2


def probe_for(target: Measurement) -> tuple[str, int]:
    isolated = 0 < target.phrase_seconds < ISOLATED_BELOW_S
    return (WORDS, WORDS_SYLLABLES) if isolated else (RUNNING, RUNNING_SYLLABLES)


def fit_tempo(speaker: Speaker, target: Measurement, start: Intonation) -> tuple[int, float]:
    wpm, rate = 175, 0.0
    target_rate = target.syllables_per_second
    if target_rate <= 0:
        return wpm, rate
    probe, syllables = probe_for(target)
    for _ in range(5):
        seconds = speaking_seconds(speaker.say(probe, start, wpm))
        rate = syllables / seconds if seconds > 0 else 0.0
        if rate <= 0 or abs(rate / target_rate - 1) < RATE_TOLERANCE:
            break
        wpm = int(np.clip(round(wpm * target_rate / rate), 80, 450))
    return wpm, rate


def fit(target: Measurement, progress: Progress, speaker: Speaker | None = None) -> dict:
    """Returns the profile; progress(stage, percent, message) reports as it goes."""
    speaker = speaker or Speaker()
    start = FEMALE if target.median_f0 >= FEMALE_FROM_HZ else MALE
    wpm, rate = fit_tempo(speaker, target, start)
    probe, _ = probe_for(target)
    progress("fitting", 30, f"{wpm} words per minute ({rate:.1f} syllables/s)")
    base, top = float(start.base), float(start.top)
    best: tuple[float, Intonation, float, float] | None = None
    for step in range(STEPS):
        intonation = Intonation(round(base), round(top), start.like).clamped()
        median, spread = _contour(speaker.say(probe, intonation, wpm))
        error = cents_between(median, target.median_f0)
        ratio = spread / target.f0_spread_cents if target.f0_spread_cents > 0 else 1.0
        progress(
            "fitting",
            30 + 55 * (step + 1) / STEPS,
            f"pitch {intonation.base}-{intonation.top}: {median:.1f} Hz ({error:+.0f} cents), spread {spread:.0f} cents",
        )
        # Pitch error counts in cents, spread error as a share: 10 cents weigh like 5 %.
        score = abs(error) / PITCH_TOLERANCE_CENTS + abs(np.log(ratio)) / SPREAD_TOLERANCE
        if best is None or score < best[0]:
            best = (score, intonation, median, spread)
        if abs(error) <= PITCH_TOLERANCE_CENTS and abs(ratio - 1) <= SPREAD_TOLERANCE:
            break
        # Move the whole contour to the right height, then stretch the span around the base.
        scale = target.median_f0 / median
        base, top = base * scale, top * scale
        span = max(2.0, (top - base) * (1 / ratio) ** 0.8)
        top = base + span
    _, intonation, median, spread = best
    return {
        "voice": LANGUAGE,
        "pitch": 50,
        "wpm": wpm,
        "intonation": {"base": intonation.base, "top": intonation.top, "like": intonation.like},
        "fitted_f0": round(median, 2),
        "fitted_f0_spread_cents": round(spread, 1),
        "fitted_syllables_per_second": round(rate, 2),
        "measured": {
            "median_f0": round(target.median_f0, 2),
            "f0_spread_cents": round(target.f0_spread_cents, 1),
            "voiced_seconds": round(target.voiced_seconds, 2),
            "syllables_per_second": round(target.syllables_per_second, 2),
            "phrase_seconds": round(target.phrase_seconds, 2),
        },
        "style": "isolated words" if probe == WORDS else "running speech",
    }


def write_json(path: Path, data: dict) -> None:
    write_atomically(path, lambda f: f.write(json.dumps(data, indent=2).encode()))


class EspeakFitter:
    name = "espeak-ng profile"
    # Pitch and tempo are measured at 16 kHz; more bandwidth would not change the fit.
    sample_rate = RATE

    def __init__(self) -> None:
        self.speaker = Speaker()

    def train(self, audio: np.ndarray, output_dir: Path, progress: Progress) -> Path:
        progress("analyzing", 5, "measuring pitch and tempo")
        target = measure(audio)
        progress(
            "analyzing",
            10,
            f"median F0 {target.median_f0:.1f} Hz, spread {target.f0_spread_cents:.0f} cents, "
            f"{target.syllables_per_second:.1f} syllables/s",
        )
        profile = fit(target, progress, self.speaker)
        progress("writing", 90, "saving the profile")
        path = output_dir / PROFILE
        write_json(path, profile)
        return path
