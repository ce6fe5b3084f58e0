import json
import tempfile
import threading
import time
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


class StartTurnTest(unittest.TestCase):
    """Syntheses start one at a time per process, each holding the turn only until its first audio."""

    def setUp(self):
        from nobody_tts.engines import espeak_engine

        self.module = espeak_engine
        self.engine = EspeakEngine()
        self.real_popen = espeak_engine.subprocess.Popen
        self.guard = threading.Lock()
        self.starting = 0  # spawned, first audio not yet read
        self.peak = 0
        self.spawned = 0
        test = self

        class Stdout:
            def __init__(self, stream):
                self.stream = stream
                self.first = True

            def read1(self, size):
                block = self.stream.read1(size)
                if self.first:
                    self.first = False
                    with test.guard:
                        test.starting -= 1
                return block

            def __getattr__(self, name):
                return getattr(self.stream, name)

        class Watched(self.real_popen):
            def __init__(self, *args, **kwargs):
                with test.guard:
                    test.starting += 1
                    test.spawned += 1
                    test.peak = max(test.peak, test.starting)
                super().__init__(*args, **kwargs)
                self.stdout = Stdout(self.stdout)

        espeak_engine.subprocess.Popen = Watched

    def tearDown(self):
        self.module.subprocess.Popen = self.real_popen

    def test_syntheses_that_arrive_together_start_one_at_a_time(self):
        barrier = threading.Barrier(6)
        audio = []

        def speak():
            barrier.wait(timeout=10)
            audio.append(sum(len(b) for b in self.engine.synthesize("Sure.", None, 1.0, threading.Event())))

        threads = [threading.Thread(target=speak) for _ in range(6)]
        [t.start() for t in threads]
        [t.join(timeout=60) for t in threads]
        self.assertEqual(len(audio), 6)
        self.assertTrue(all(n > 2205 for n in audio), audio)
        self.assertEqual(self.peak, 1, "no synthesis started while another was still starting")

    def test_a_long_text_holds_the_turn_only_until_its_first_audio(self):
        long = self.engine.synthesize("word " * 400, None, 1.0, threading.Event())
        next(long)  # started, and then held open by a slow reader
        self.assertFalse(self.engine.starts.busy, "the turn is free once the first audio is out")
        short = list(self.engine.synthesize("Sure.", None, 1.0, threading.Event()))
        long.close()
        self.assertTrue(short)
        self.assertEqual(self.spawned, 2)

    def test_a_start_that_never_ends_holds_up_the_rest_for_a_second_at_most(self):
        from nobody_tts.engines import start_turns

        start_turns.WAIT_S = 0.2
        self.assertTrue(self.engine.starts.acquire(True, threading.Event()))  # stuck before its audio
        try:
            self.assertTrue(list(self.engine.synthesize("Sure.", None, 1.0, threading.Event())))
        finally:
            start_turns.WAIT_S = 1.0
            self.engine.starts.release()

    def test_cancelled_while_waiting_it_starts_nothing(self):
        cancelled = threading.Event()
        self.assertTrue(self.engine.starts.acquire(True, threading.Event()))
        try:
            threading.Timer(0.1, cancelled.set).start()
            self.assertEqual(list(self.engine.synthesize("Sure.", None, 1.0, cancelled)), [])
        finally:
            self.engine.starts.release()
        self.assertEqual(self.spawned, 0)

    def test_a_stream_prepared_ahead_speaks_its_first_piece_with_that_process(self):
        plain = np.concatenate(list(self.engine.synthesize("Sure.", None, 1.0, threading.Event())))
        prepared = self.engine.prepare(None, 1.0)
        spawned = self.spawned
        first = np.concatenate(list(self.engine.synthesize("Sure.", None, 1.0, threading.Event(), True, prepared)))
        self.assertEqual(self.spawned, spawned, "no process started for the first piece")
        self.assertTrue(np.array_equal(first, plain), "the same speech as a process started for it")
        second = list(self.engine.synthesize("Then more.", None, 1.0, threading.Event(), False, prepared))
        self.assertTrue(second)
        self.assertEqual(self.spawned, spawned + 1, "a prepared process serves one piece")
        prepared.close()

    def test_a_process_prepared_for_other_settings_is_stopped_not_used(self):
        prepared = self.engine.prepare(None, 1.0)
        proc = prepared.proc
        spawned = self.spawned
        self.assertTrue(list(self.engine.synthesize("Sure.", None, 2.0, threading.Event(), True, prepared)))
        self.assertEqual(self.spawned, spawned + 1)
        self.assertIsNotNone(proc.poll(), "the unused process was stopped")
        prepared.close()

    def test_closing_an_unused_preparation_leaves_no_process(self):
        prepared = self.engine.prepare(None, 1.0)
        proc = prepared.proc
        prepared.close()
        self.assertIsNotNone(proc.poll())
        self.assertIsNone(prepared.proc)
        prepared.close()  # twice is harmless


class StartTurnsTest(unittest.TestCase):
    def test_a_first_sentence_starts_before_later_ones_that_waited_longer(self):
        from nobody_tts.engines.start_turns import StartTurns

        turns = StartTurns()
        never = threading.Event()
        self.assertTrue(turns.acquire(True, never))
        order = []

        def start(name, urgent):
            if turns.acquire(urgent, never, wait_s=10):
                order.append(name)
                turns.release()

        def until(waiting):
            for _ in range(2000):  # 10 s at most
                if turns.waiting == waiting:
                    return
                time.sleep(0.005)
            self.fail(f"waiting {turns.waiting}, expected {waiting}")

        later = [threading.Thread(target=start, args=(f"later {i}", False)) for i in range(6)]
        [t.start() for t in later]
        until((6, 0))
        first = threading.Thread(target=start, args=("first", True))
        first.start()
        until((7, 1))
        turns.release()
        [t.join(timeout=10) for t in [*later, first]]
        self.assertEqual(order[0], "first", order)
        self.assertEqual(sorted(order[1:]), [f"later {i}" for i in range(6)])


if __name__ == "__main__":
    unittest.main()
