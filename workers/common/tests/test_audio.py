import unittest

import numpy as np

from nobody_common.audio import Resampler, from_f32le, resample, to_f32le


def tone(rate: int, hz: float, seconds: float) -> np.ndarray:
    return np.sin(2 * np.pi * hz * np.arange(int(rate * seconds)) / rate).astype(np.float32)


def level_at(samples: np.ndarray, rate: int, hz: float) -> float:
    """Amplitude of the component at hz (single-bin DFT over the middle of the signal)."""
    middle = samples[len(samples) // 4: 3 * len(samples) // 4]
    t = np.arange(len(middle)) / rate
    return float(2 * abs(np.dot(middle, np.exp(-2j * np.pi * hz * t))) / len(middle))


class ResamplerTest(unittest.TestCase):
    def test_keeps_a_tone_below_the_new_nyquist(self):
        for src, dst in [(48000, 16000), (22050, 48000), (24000, 16000), (16000, 24000), (44100, 48000)]:
            out = resample(tone(src, 1000, 1.0), src, dst)
            self.assertAlmostEqual(len(out) / dst, 1.0, delta=0.01, msg=f"{src}->{dst}")
            self.assertAlmostEqual(level_at(out, dst, 1000), 1.0, delta=0.01, msg=f"{src}->{dst}")

    def test_removes_what_would_alias(self):
        # 11 kHz is above the 8 kHz Nyquist rate of 16 kHz output: it must not fold back to 5 kHz.
        out = resample(tone(48000, 11000, 1.0), 48000, 16000)
        self.assertLess(level_at(out, 16000, 5000), 1e-3)  # 16k - 11k = 5 kHz alias
        self.assertLess(float(np.max(np.abs(out[1000:-1000]))), 0.01)

    def test_streaming_equals_whole(self):
        x = tone(22050, 440, 0.5) * np.linspace(0, 1, 11025, dtype=np.float32)
        whole = Resampler(22050, 24000)
        expected = np.concatenate([whole.process(x), whole.flush()])
        streaming = Resampler(22050, 24000)
        pieces = []
        rng = np.random.default_rng(1)
        at = 0
        while at < len(x):
            size = int(rng.integers(1, 700))
            pieces.append(streaming.process(x[at:at + size]))
            at += size
        pieces.append(streaming.flush())
        got = np.concatenate(pieces)
        self.assertEqual(len(got), len(expected))
        np.testing.assert_allclose(got, expected, atol=1e-6)

    def test_same_rate_is_identity(self):
        x = tone(16000, 300, 0.1)
        np.testing.assert_array_equal(resample(x, 16000, 16000), x)

    def test_f32le_round_trip_and_bad_length(self):
        x = tone(16000, 300, 0.01)
        np.testing.assert_array_equal(from_f32le(to_f32le(x)), x)
        with self.assertRaises(ValueError):
            from_f32le(b"\x00\x00\x00")


if __name__ == "__main__":
    unittest.main()
