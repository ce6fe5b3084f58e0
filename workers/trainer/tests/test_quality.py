import unittest

import numpy as np

from nobody_trainer.engines.espeak_fitter import synthesize
from nobody_trainer.quality import analyze

SPEECH = synthesize("This is a clean sample of speech, recorded close to the microphone in a quiet room.", "en-us", 50, 160)


def _chord(n: int) -> np.ndarray:
    """A quiet A-major chord with harmonics: music as a microphone hears it under a voice."""
    t = np.arange(n) / 16000
    return sum(0.01 * np.sin(2 * np.pi * f * k * t) / k for f in (220, 277.2, 329.6) for k in (1, 2, 3))


class QualityTest(unittest.TestCase):
    def test_clean_speech_has_no_warnings(self):
        report = analyze(SPEECH)
        self.assertEqual(report.warnings, [])
        self.assertGreater(report.snr_db, 40)
        self.assertGreater(report.speech_percent, 40)
        self.assertAlmostEqual(report.duration_ms, len(SPEECH) * 1000 / 16000, delta=1)

    def test_each_problem_gets_its_warning(self):
        rng = np.random.default_rng(7)
        cases = {
            "too quiet": SPEECH * 0.003,
            "clipping": np.clip(SPEECH * 20, -1, 1),
            "noisy": SPEECH + rng.normal(0, 0.05, len(SPEECH)),
            "little speech": np.concatenate([np.zeros(16000 * 8), SPEECH[:8000], np.zeros(16000 * 8)]),
            "very short": SPEECH[:16000],
            "music in the background": SPEECH + _chord(len(SPEECH)),
        }
        for name, audio in cases.items():
            warnings = analyze(audio.astype(np.float32)).warnings
            self.assertTrue(any(w.startswith(name) for w in warnings), f"{name}: {warnings}")

    def test_noise_without_speech_is_not_called_quiet(self):
        noise = np.random.default_rng(3).normal(0, 0.2, 16000 * 3).astype(np.float32)
        warnings = analyze(noise).warnings
        self.assertTrue(any(w.startswith("little speech") for w in warnings), warnings)
        self.assertFalse(any(w.startswith("too quiet") for w in warnings), warnings)

    def test_empty_audio_is_reported_not_raised(self):
        self.assertEqual(analyze(np.zeros(0, dtype=np.float32)).warnings, ["the sample is empty"])


if __name__ == "__main__":
    unittest.main()

    def test_music_and_noise_are_told_apart(self):
        rng = np.random.default_rng(3)
        noisy = analyze((SPEECH + rng.normal(0, 0.05, len(SPEECH))).astype(np.float32)).warnings
        self.assertFalse(any(w.startswith("music") for w in noisy), noisy)
        music = analyze((SPEECH + _chord(len(SPEECH))).astype(np.float32))
        self.assertLess(music.background_flatness, 0.1)
        self.assertFalse(any(w.startswith("noisy") for w in music.warnings), music.warnings)


class NarrowbandTest(unittest.TestCase):
    def test_telephone_audio_is_called_narrowband_whatever_rate_it_is_stored_at(self):
        from nobody_common.audio import resample

        wide = analyze(SPEECH)
        self.assertFalse([w for w in wide.warnings if "narrowband" in w], wide.warnings)
        # The same speech through an 8 kHz channel: nothing left above 4 kHz.
        telephone = resample(resample(SPEECH, 16000, 8000), 8000, 16000)
        stored_wide = analyze(telephone, source_rate=44100)
        self.assertTrue(any("nothing above 4 kHz" in w for w in stored_wide.warnings), stored_wide.warnings)
        stored_narrow = analyze(resample(SPEECH, 16000, 8000), source_rate=8000)
        self.assertTrue(any("recorded at 8 kHz" in w for w in stored_narrow.warnings), stored_narrow.warnings)
