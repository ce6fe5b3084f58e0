import glob
import json
import re
import tempfile
import threading
import unittest
from pathlib import Path

import numpy as np

from nobody_trainer.engines import espeak_fitter
from nobody_trainer.engines.espeak_fitter import EspeakFitter, synthesize
from nobody_trainer.measure import cents_between, measure, speaking_seconds
from nobody_trainer.samples import load_all
from nobody_tts.engines.espeak_engine import EspeakEngine
from nobody_common.audio import resample

TEXT = (
    "Good morning. I would like to record a few sentences so that my voice can be measured. "
    "The weather today is calm and the river runs slowly past the old mill."
)
CHECK = "Every cloned voice reads this sentence aloud, and its pitch is measured again afterwards."
VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}


def cmu_syllables(text: str) -> int:
    counts = {}
    with open("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict") as dictionary:
        for line in dictionary:
            word, *phones = line.split()
            if "(" not in word:
                counts[word] = sum(1 for p in phones if p in VOWELS)
    return sum(counts[w] for w in re.findall(r"[a-z']+", text.lower()))


def speak_as(voice_dir: Path, text: str = CHECK) -> np.ndarray:
    engine = EspeakEngine()
    blocks = engine.synthesize(text, engine.load_voice(voice_dir) if voice_dir else None, 1.0, threading.Event())
    return resample(np.concatenate(list(blocks)), 22050, 16000)


class FitterTest(unittest.TestCase):
    def clone(self, audio: np.ndarray, folder: str) -> dict:
        stages = []
        path = EspeakFitter().train(audio, Path(folder), lambda stage, percent, message: stages.append(stage))
        self.assertEqual(stages[0], "analyzing")
        self.assertEqual(stages[-1], "writing")
        return json.loads(path.read_text())

    def assert_cloned(self, audio: np.ndarray, name: str, text: str = CHECK) -> dict:
        reference = measure(audio)
        with tempfile.TemporaryDirectory() as folder:
            profile = self.clone(audio, folder)
            cloned = measure(speak_as(Path(folder), text))
        default = measure(speak_as(None, text))
        self.assertLess(abs(cents_between(cloned.median_f0, reference.median_f0)), 50, f"{name}: {profile}")
        self.assertGreater(abs(cents_between(default.median_f0, reference.median_f0)), 50, f"{name}: default is close")
        return profile

    def test_probe_syllable_counts_match_the_dictionary(self):
        self.assertEqual(cmu_syllables(espeak_fitter.RUNNING), espeak_fitter.RUNNING_SYLLABLES)
        self.assertEqual(cmu_syllables(espeak_fitter.WORDS), espeak_fitter.WORDS_SYLLABLES)

    def test_clones_a_low_and_a_high_reference_speaker(self):
        self.assert_cloned(synthesize(TEXT, "en-us", 10, 150), "low male", TEXT)
        self.assert_cloned(synthesize(TEXT, "en-us+f3", 90, 190), "high female", TEXT)

    def test_fits_a_wide_intonation_with_a_wider_pitch_span(self):
        # espeak-ng's f3 variant moves through a much wider range than its default male voice.
        narrow = measure(synthesize(TEXT, "en-us", 50, 175))
        with tempfile.TemporaryDirectory() as folder:
            profile = self.clone(synthesize(TEXT, "en-us+f3", 20, 175), folder)
            wide = measure(speak_as(Path(folder), TEXT))
        span = profile["intonation"]["top"] - profile["intonation"]["base"]
        self.assertGreater(span, 118 - 82, profile)
        self.assertGreater(wide.f0_spread_cents, narrow.f0_spread_cents * 1.3, profile)

    def test_fits_the_speaking_rate_of_slow_and_fast_speech(self):
        syllables = cmu_syllables(TEXT)
        for wpm in (120, 220):
            audio = synthesize(TEXT, "en-us", 50, wpm)
            with tempfile.TemporaryDirectory() as folder:
                self.clone(audio, folder)
                cloned = speak_as(Path(folder), TEXT)
            ratio = speaking_seconds(audio) / speaking_seconds(cloned)
            self.assertLess(abs(ratio - 1), 0.15, f"{wpm} wpm: rate ratio {ratio:.2f} ({syllables} syllables)")

    def test_samples_of_isolated_words_are_fitted_as_words(self):
        clips = sorted(p for p in glob.glob("/usr/share/sounds/alsa/*.wav") if not p.endswith("Noise.wav"))
        self.assertGreater(len(clips), 3)
        audio = load_all([Path(p) for p in clips])
        with tempfile.TemporaryDirectory() as folder:
            profile = self.clone(audio, folder)
        self.assertEqual(profile["style"], "isolated words")
        self.assertEqual(profile["intonation"]["like"], "f3", profile)
        self.assertLess(abs(cents_between(profile["fitted_f0"], profile["measured"]["median_f0"])), 50, profile)

    def test_profiles_from_before_intonation_still_speak(self):
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "espeak_profile.json").write_text(json.dumps({"voice": "en-us+f3", "pitch": 70, "wpm": 160}))
            voice = EspeakEngine().load_voice(Path(folder))
            self.assertIsNone(voice.intonation)
            self.assertGreater(measure(speak_as(Path(folder))).median_f0, 180)

    def test_too_little_speech_is_refused_clearly(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaisesRegex(ValueError, "too little voiced speech"):
                EspeakFitter().train(np.zeros(16000, dtype=np.float32), Path(folder), lambda *a: None)


if __name__ == "__main__":
    unittest.main()
