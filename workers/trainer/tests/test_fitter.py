import glob
import json
import tempfile
import threading
import unittest
from pathlib import Path

import numpy as np

from nobody_trainer.engines.espeak_fitter import EspeakFitter, synthesize
from nobody_trainer.measure import cents_between, measure
from nobody_trainer.samples import load_all
from nobody_tts.engines.espeak_engine import EspeakEngine, EspeakVoice
from nobody_common.audio import resample

TEXT = (
    "Good morning. I would like to record a few sentences so that my voice can be measured. "
    "The weather today is calm and the river runs slowly past the old mill."
)
CHECK = "Every cloned voice reads this sentence aloud, and its pitch is measured again afterwards."


def speak_with(voice: EspeakVoice | None) -> np.ndarray:
    blocks = EspeakEngine().synthesize(CHECK, voice, 1.0, threading.Event())
    return resample(np.concatenate(list(blocks)), 22050, 16000)


class FitterTest(unittest.TestCase):
    def clone(self, audio: np.ndarray) -> tuple[float, float, dict]:
        """Returns (reference F0, cloned F0, profile)."""
        with tempfile.TemporaryDirectory() as folder:
            stages = []
            path = EspeakFitter().train(audio, Path(folder), lambda stage, percent, message: stages.append(stage))
            profile = json.loads(path.read_text())
        self.assertEqual(stages[0], "analyzing")
        self.assertEqual(stages[-1], "writing")
        voice = EspeakVoice(voice=profile["voice"], pitch=profile["pitch"], wpm=profile["wpm"])
        return measure(audio).median_f0, measure(speak_with(voice)).median_f0, profile

    def assert_cloned(self, audio: np.ndarray, name: str) -> None:
        reference, cloned, profile = self.clone(audio)
        default = measure(speak_with(None)).median_f0
        self.assertLess(abs(cents_between(cloned, reference)), 50, f"{name}: {cloned:.1f} Hz vs {reference:.1f} Hz ({profile})")
        self.assertGreater(abs(cents_between(default, reference)), 50, f"{name}: the default voice is already close")

    def test_clones_a_low_and_a_high_reference_speaker(self):
        self.assert_cloned(synthesize(TEXT, "en-us", 10, 150), "low male")
        self.assert_cloned(synthesize(TEXT, "en-us+f3", 90, 190), "high female")

    def test_clones_real_human_speech(self):
        clips = sorted(p for p in glob.glob("/usr/share/sounds/alsa/*.wav") if not p.endswith("Noise.wav"))
        self.assertGreater(len(clips), 3)
        self.assert_cloned(load_all([Path(p) for p in clips]), "alsa-utils speaker")

    def test_too_little_speech_is_refused_clearly(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaisesRegex(ValueError, "too little voiced speech"):
                EspeakFitter().train(np.zeros(16000, dtype=np.float32), Path(folder), lambda *a: None)


if __name__ == "__main__":
    unittest.main()
