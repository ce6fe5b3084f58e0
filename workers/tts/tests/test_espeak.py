import json
import tempfile
import threading
import unittest
from pathlib import Path

import numpy as np

from nobody_tts.engines.base import VoiceNotFound
from nobody_tts.engines.espeak_engine import EspeakEngine, EspeakVoice


class EspeakTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = EspeakEngine()

    def test_streams_a_small_first_block_then_what_is_ready(self):
        text = "Hello there, this is a test. " * 8
        blocks = list(self.engine.synthesize(text, None, 1.0, threading.Event()))
        audio = np.concatenate(blocks)
        self.assertGreater(len(audio) / 22050, 8.0)
        self.assertGreater(float(np.max(np.abs(audio))), 0.1)
        # The first block is 40 ms, so it leaves at once; the rest come as espeak-ng writes them.
        self.assertLessEqual(len(blocks[0]), 882)
        self.assertGreater(len(blocks), 1)

    def test_cancel_stops_early(self):
        cancelled = threading.Event()
        blocks = []
        for block in self.engine.synthesize("word " * 500, None, 1.0, cancelled):
            blocks.append(block)
            if len(blocks) == 3:
                cancelled.set()
        self.assertEqual(len(blocks), 3)

    def test_text_is_never_read_as_options(self):
        audio = np.concatenate(list(self.engine.synthesize("--version -v xx", None, 1.0, threading.Event())))
        self.assertGreater(len(audio), 2205)

    def test_voice_profiles_load_and_clamp(self):
        with tempfile.TemporaryDirectory() as folder:
            voice_dir = Path(folder) / "voice_aaaaaaaaaaaaaaaaaaaa"
            with self.assertRaisesRegex(VoiceNotFound, "has no espeak-ng profile"):
                self.engine.load_voice(voice_dir)
            voice_dir.mkdir()
            (voice_dir / "espeak_profile.json").write_text(json.dumps({"voice": "en-gb", "pitch": 300, "wpm": 10}))
            self.assertEqual(self.engine.load_voice(voice_dir), EspeakVoice(voice="en-gb", pitch=99, wpm=80))
            (voice_dir / "espeak_profile.json").write_text("{")
            with self.assertRaisesRegex(VoiceNotFound, "damaged profile"):
                self.engine.load_voice(voice_dir)


if __name__ == "__main__":
    unittest.main()
