import unittest

import numpy as np

from nobody_common.soxr import SoxrResampler, soxr_available, streaming_resampler

from test_audio import level_at, tone


class SoxrResamplerTest(unittest.TestCase):
    def test_libsoxr_is_found(self):
        # .ci/apt-packages.txt installs libsoxr0; without it the TTS worker falls back to numpy.
        self.assertTrue(soxr_available())

    def resample(self, x, src, dst, piece=1000):
        r = SoxrResampler(src, dst)
        parts = [r.process(x[i:i + piece]) for i in range(0, len(x), piece)] + [r.flush()]
        return np.concatenate(parts)

    def test_keeps_a_tone_and_the_length(self):
        for src, dst in [(22050, 24000), (24000, 16000), (48000, 16000), (16000, 48000), (44100, 48000)]:
            out = self.resample(tone(src, 1000, 1.0), src, dst)
            self.assertLessEqual(abs(len(out) - dst), 1, f"{src}->{dst}: {len(out)}")
            self.assertAlmostEqual(level_at(out, dst, 1000), 1.0, delta=0.01, msg=f"{src}->{dst}")

    def test_removes_what_would_alias(self):
        out = self.resample(tone(48000, 11000, 1.0), 48000, 16000)
        self.assertLess(level_at(out, 16000, 5000), 1e-3)

    def test_streaming_equals_whole_and_aligns_with_the_input(self):
        x = tone(22050, 440, 0.5) * np.linspace(0, 1, 11025, dtype=np.float32)
        whole = self.resample(x, 22050, 24000, piece=len(x))
        rng = np.random.default_rng(1)
        r = SoxrResampler(22050, 24000)
        parts, at = [], 0
        while at < len(x):
            size = int(rng.integers(1, 700))
            parts.append(r.process(x[at:at + size]))
            at += size
        parts.append(r.flush())
        np.testing.assert_allclose(np.concatenate(parts), whole, atol=1e-5)
        # No delay: the envelope's peak (the end of the ramp) stays at the end.
        self.assertGreater(float(np.max(np.abs(whole[-600:]))), 0.9)

    def test_same_rate_copies_and_the_factory_picks_soxr(self):
        x = tone(16000, 300, 0.1)
        np.testing.assert_array_equal(SoxrResampler(16000, 16000).process(x), x)
        self.assertIsInstance(streaming_resampler(22050, 24000), SoxrResampler)


if __name__ == "__main__":
    unittest.main()
