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
        out = self.dir / f"speech-{len(list(self.dir.iterdir()))}.{suffix}"
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(SPEECH), *extra, str(out)], check=True)
        return out

    CASES = {
        "wav": ("wav", ("-ac", "2")),
        "flac": ("flac", ()),
        "ogg": ("ogg", ("-c:a", "libvorbis")),
        "opus": ("ogg", ("-c:a", "libopus")),
        "mp3": ("mp3", ()),
        "m4a": ("m4a", ()),
        "webm": ("webm", ("-c:a", "libopus")),
    }

    def test_every_format_decodes_to_the_same_speech(self):
        reference = _reference()
        for name, (fmt, extra) in self.CASES.items():
            decoded = decode(self.convert("ogg" if name == "opus" else fmt, *extra), fmt)
            self.assertEqual(decoded.rate, 48000, name)
            self.assertEqual(decoded.channels, 2 if fmt == "wav" else 1, name)
            # Lossy codecs pad the start and end; the length stays within 100 ms.
            self.assertLess(abs(len(decoded.audio) - len(reference)), 4800, name)
            n = min(len(decoded.audio), len(reference))
            # Envelopes match: lossy coding and encoder delay change samples, not the speech.
            env = lambda x: np.sqrt(np.convolve(x[:n] ** 2, np.ones(4800) / 4800, "valid"))
            correlation = np.corrcoef(env(decoded.audio), env(reference))[0, 1]
            self.assertGreater(correlation, 0.95, name)

    def test_a_flac_streamed_to_a_pipe_decodes_whole(self):
        piped = self.dir / "piped.flac"
        with piped.open("wb") as out:
            subprocess.run(["ffmpeg", "-v", "error", "-i", str(SPEECH), "-f", "flac", "pipe:1"], stdout=out, check=True)
        self.assertEqual(len(decode(piped, "flac").audio), len(_reference()))

    def test_wav_flac_ogg_opus_and_mp3_decode_in_process(self):
        files = {name: self.convert("ogg" if name == "opus" else fmt, *extra)
                 for name, (fmt, extra) in self.CASES.items() if fmt not in ("m4a", "webm")}
        real = subprocess.Popen

        def refuse(*args, **kwargs):
            raise AssertionError(f"a subprocess was started: {args[0]}")

        subprocess.Popen = refuse
        try:
            for name, path in files.items():
                self.assertGreater(len(decode(path, self.CASES[name][0]).audio), 40000, name)
        finally:
            subprocess.Popen = real

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


class BoundedMemoryTest(unittest.TestCase):
    """Defect: resampling gathered output samples x taps at once (about 60 MB per second of
    audio) and decoding held the whole file, so a long upload took the trainer to gigabytes."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.dir)

    def peak_mb(self, fn) -> float:
        import tracemalloc

        tracemalloc.start()
        try:
            fn()
            return tracemalloc.get_traced_memory()[1] / 1e6
        finally:
            tracemalloc.stop()

    def test_resampling_a_long_signal_at_once_stays_small(self):
        from nobody_common.audio import Resampler

        signal = np.random.default_rng(1).standard_normal(48000 * 10).astype(np.float32)
        peak = self.peak_mb(lambda: Resampler(48000, 22050).process(signal))
        # The input (1.9 MB) and output as float64 copies, plus a bounded work matrix.
        self.assertLess(peak, 40, f"{peak:.0f} MB for 10 s")

    def test_analysis_of_minutes_of_audio_never_holds_them(self):
        from nobody_trainer.analysis import analyze_file

        path = self.dir / "long.wav"
        rng = np.random.default_rng(2)
        with wave.open(str(path), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(48000)
            for _ in range(60 * 5):  # five minutes, a second at a time
                w.writeframes((rng.standard_normal(96000) * 3000).astype("<i2").tobytes())
        out = self.dir / "norm.wav"
        result = {}
        peak = self.peak_mb(lambda: result.update(r=analyze_file(path, "wav", out, 22050)))
        stream, report = result["r"]
        self.assertEqual((stream.rate, stream.channels), (48000, 2))
        self.assertAlmostEqual(report.duration_ms, 300_000, delta=20)
        with wave.open(str(out), "rb") as w:
            self.assertEqual(w.getnframes(), 300 * 22050)
        # The file is 115 MB; its float32 mono copy alone would be 58 MB.
        self.assertLess(peak, 30, f"{peak:.0f} MB for 5 minutes")


class HostileInputTest(unittest.TestCase):
    """Defect: a file that passed the MP3 check (an ID3 tag, then an HLS playlist) made ffmpeg
    probe it as a playlist and read another local audio file into the sample."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_a_playlist_disguised_as_mp3_reads_no_other_file(self):
        secret = self.dir / "secret.aac"
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(SPEECH), str(secret)], check=True)
        playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2.0,\n{secret}\n#EXT-X-ENDLIST\n"
        attack = self.dir / "upload.mp3"
        attack.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + playlist.encode())
        with self.assertRaises(DecodeError):
            decode(attack, "mp3")
