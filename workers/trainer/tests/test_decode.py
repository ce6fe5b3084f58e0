import shutil
import subprocess
import tempfile
import unittest
import wave
from pathlib import Path

import numpy as np

from nobody_trainer.decode import DecodeError, decode, normalize, write_wav

SPEECH = Path("/usr/share/sounds/alsa/Front_Center.wav")  # real speech, 48 kHz mono 16-bit


def _reference() -> np.ndarray:
    with wave.open(str(SPEECH), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768


class DecodeTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.dir)

    def convert(self, suffix: str, *extra: str) -> Path:
        out = self.dir / f"speech.{suffix}"
        if suffix in ("mp3", "m4a"):
            subprocess.run(["ffmpeg", "-v", "error", "-i", str(SPEECH), *extra, str(out)], check=True)
        else:
            subprocess.run(["sox", str(SPEECH), *extra, str(out)], check=True)
        return out

    def test_every_format_decodes_to_the_same_speech(self):
        reference = _reference()
        for fmt, extra in {"wav": ("-c", "2"), "flac": (), "ogg": (), "mp3": (), "m4a": ()}.items():
            decoded = decode(self.convert(fmt, *extra), fmt)
            self.assertEqual(decoded.rate, 48000, fmt)
            self.assertEqual(decoded.channels, 2 if fmt == "wav" else 1, fmt)
            # Lossy codecs pad the start and end; the length stays within 100 ms.
            self.assertLess(abs(len(decoded.audio) - len(reference)), 4800, fmt)
            n = min(len(decoded.audio), len(reference))
            # Envelopes match: lossy coding and encoder delay change samples, not the speech.
            env = lambda x: np.sqrt(np.convolve(x[:n] ** 2, np.ones(4800) / 4800, "valid"))
            correlation = np.corrcoef(env(decoded.audio), env(reference))[0, 1]
            self.assertGreater(correlation, 0.95, fmt)

    def test_corrupt_and_truncated_files_are_decode_errors(self):
        garbage = self.dir / "noise.mp3"
        garbage.write_bytes(b"ID3" + bytes(range(256)) * 40)
        ogg = self.convert("ogg")
        truncated = self.dir / "cut.ogg"
        truncated.write_bytes(ogg.read_bytes()[:60])
        bad_wav = self.dir / "bad.wav"
        bad_wav.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
        for path, fmt in ((garbage, "mp3"), (truncated, "ogg"), (bad_wav, "wav")):
            with self.assertRaises(DecodeError, msg=path.name):
                decode(path, fmt)

    def test_normalized_copy_is_16_bit_mono_at_the_engine_rate(self):
        decoded = decode(SPEECH, "wav")
        out = self.dir / "norm.wav"
        write_wav(out, normalize(decoded, 16000), 16000)
        with wave.open(str(out), "rb") as w:
            self.assertEqual((w.getnchannels(), w.getsampwidth(), w.getframerate()), (1, 2, 16000))
            self.assertEqual(w.getnframes(), -(-len(decoded.audio) // 3))
        self.assertEqual([p.name for p in self.dir.iterdir()], ["norm.wav"], "no temp file is left")
