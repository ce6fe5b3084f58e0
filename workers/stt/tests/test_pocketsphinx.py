import subprocess
import unittest

import numpy as np

from nobody_common.audio import from_s16le, resample
from nobody_stt.engines import choose
from nobody_stt.engines.base import InvalidRequest


def speak(text: str) -> np.ndarray:
    """espeak-ng speech at the engine's 16 kHz."""
    wav = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True).stdout
    return resample(from_s16le(wav[44:]), 22050, 16000)


def live_turn(engine, audio: np.ndarray, phrases: list[str], state: bytes = b""):
    """One live session over the audio in 100 ms pieces; its final result."""
    session = engine.open("en", phrases, True, state)
    try:
        for i in range(0, len(audio), 1600):
            session.accept(audio[i:i + 1600])
        return session.finish()
    finally:
        session.close()


def transcribe(engine, audio: np.ndarray, phrases: list[str]) -> str:
    return live_turn(engine, audio, phrases).text


class PocketsphinxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import os

        os.environ["NOBODY_STT_WARM_DECODERS"] = "0"  # a stable pool size to count
        cls.engine, cls.fallbacks = choose("pocketsphinx")

    def test_a_phrase_list_makes_recognition_exact(self):
        session = self.engine.open("en", ["play some music", "stop the music"])
        try:
            audio = speak("stop the music")
            partials = [r for r in (session.accept(audio[i:i + 320]) for i in range(0, len(audio), 320)) if r]
            final = session.finish()
        finally:
            session.close()
        self.assertEqual(final.text, "stop the music")
        self.assertTrue(partials, "partial results while audio arrives")

    def test_the_same_audio_gives_the_same_transcript_whatever_came_before(self):
        import glob
        import wave

        clips = []
        for path in sorted(glob.glob("/usr/share/sounds/alsa/*.wav"))[:4]:  # real human speech
            with wave.open(path) as w:
                clips.append(resample(from_s16le(w.readframes(w.getnframes())), w.getframerate(), 16000))

        first = transcribe(self.engine, clips[0], [])
        for other in clips[1:]:
            transcribe(self.engine, other, [])
            self.assertEqual(transcribe(self.engine, clips[0], []), first)

    def test_sessions_opened_from_many_threads_at_once_never_deadlock(self):
        # pocketsphinx's set-up swaps a process-wide log file: unserialized builds deadlock in
        # stdio (seen in CI). A deadlock would hang this process, so the load runs in a child.
        import os
        import sys

        script = (
            "import threading, numpy as np\n"
            "from nobody_stt.engines.pocketsphinx_engine import PocketsphinxEngine\n"
            "e = PocketsphinxEngine()\n"
            "def work():\n"
            "    for i in range(6):\n"
            "        s = e.open('en', [] if i % 2 else ['play some music'])\n"
            "        s.accept(np.zeros(3200, np.float32)); s.finish(); s.close()\n"
            "ts = [threading.Thread(target=work) for _ in range(4)]\n"
            "[t.start() for t in ts]; [t.join(timeout=90) for t in ts]\n"
            "print('alive', sum(t.is_alive() for t in ts), flush=True)\n"
            "os._exit(0)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", "import os\n" + script],
            capture_output=True, text=True, timeout=150, env={**os.environ},
        )
        self.assertIn("alive 0", out.stdout, out.stderr[-2000:])

    def test_decoders_are_reused_after_close(self):
        before = self.engine.pooled()
        for _ in range(3):
            self.engine.open("en", ["play some music"]).close()
            self.engine.open("en", []).close()
        self.assertEqual(self.engine.pooled(), before)

    def test_turns_reuse_decoders_instead_of_building_one_each(self):
        # A build costs ten times a short command's decoding: one per turn made many sessions
        # at once slow. Once the pools hold decoders, turns build none.
        audio = speak("play some music")

        def turn(phrases):
            return transcribe(self.engine, audio, phrases)

        for phrases in (["play some music"], []):
            turn(phrases)  # the first of each kind may build its decoders
        built = []
        real = self.engine._new_decoder
        self.engine._new_decoder = lambda *a, **k: built.append(a) or real(*a, **k)
        try:
            texts = [turn(["play some music", "what time is it"]) for _ in range(5)] + [turn([])]
        finally:
            del self.engine._new_decoder
        self.assertEqual(texts[:5], ["play some music"] * 5)
        self.assertEqual(built, [])

    def test_only_the_first_decoder_swaps_the_process_log(self):
        # A later -logfn would fclose the log while other threads' decoders write to it.
        from nobody_stt.engines import pocketsphinx_engine as module

        real = module.Decoder
        seen = []

        class Recording(real):
            def __init__(self, config):
                seen.append(config.get_string("-logfn"))
                super().__init__(config)

        module.Decoder = Recording
        try:
            for with_lm in (False, True, False):
                self.engine._new_decoder(with_lm)
        finally:
            module.Decoder = real
        self.assertTrue(module._log_redirected)
        self.assertEqual(seen, [None, None, None])

    def test_a_decoder_is_never_handed_to_two_users(self):
        session = self.engine.open("en", ["play some music"])
        decoder = session.decoder
        with self.assertRaisesRegex(RuntimeError, "while in use"):
            self.engine._claim(decoder)
        session.close()
        session.close()  # closing twice releases once
        with self.assertRaisesRegex(RuntimeError, "released twice"):
            self.engine._release(decoder)
        again = self.engine.open("en", ["play some music"])
        self.assertIs(again.decoder, decoder, "back in the pool, once")
        other = self.engine.open("en", ["play some music"])
        self.assertIsNot(other.decoder, decoder)
        again.close()
        other.close()

    def test_unknown_words_and_languages_are_refused(self):
        with self.assertRaisesRegex(InvalidRequest, "'zzyzx' is not in the pronunciation dictionary"):
            self.engine.open("en", ["drive to zzyzx"])
        before = self.engine.pooled()
        with self.assertRaisesRegex(InvalidRequest, "English model only"):
            self.engine.open("fr", [])
        self.assertEqual(self.engine.pooled(), before, "a refused request gives its decoder back")


class WholeRecordingTest(unittest.TestCase):
    """A whole file (no partials) is decoded once, at the end, and reads the same as a live one."""

    @classmethod
    def setUpClass(cls):
        cls.engine, _ = choose("pocketsphinx")

    def test_a_whole_recording_is_decoded_once_with_the_live_result(self):
        import glob
        import wave

        path = sorted(glob.glob("/usr/share/sounds/alsa/*.wav"))[0]  # real human speech
        with wave.open(path) as w:
            audio = resample(from_s16le(w.readframes(w.getnframes())), w.getframerate(), 16000)

        def transcript(partials: bool) -> tuple[str, int]:
            session = self.engine.open("en", [], partials)
            streamed = 0
            real = session.decoder.process_raw

            def counting(*args):
                nonlocal streamed
                streamed += 1
                return real(*args)

            session.decoder.process_raw = counting
            try:
                partial_results = [session.accept(audio[i:i + 1600]) for i in range(0, len(audio), 1600)]
                self.assertTrue(partials or all(r is None for r in partial_results))
                return session.finish().text, streamed
            finally:
                session.decoder.process_raw = real
                session.close()

        live, live_passes = transcript(True)
        whole, whole_passes = transcript(False)
        self.assertEqual(whole, live)
        self.assertGreater(live_passes, 5, "a live recording is decoded as it arrives")
        self.assertEqual(whole_passes, 0, "a whole one only by the final pass")


def alsa_clips() -> list[tuple[np.ndarray, str]]:
    """Real human speech with known text: ALSA's channel test sounds ("Front Center", ...)."""
    import glob
    import os
    import wave

    clips = []
    for path in sorted(glob.glob("/usr/share/sounds/alsa/*_*.wav")):
        with wave.open(path) as w:
            audio = resample(from_s16le(w.readframes(w.getnframes())), w.getframerate(), 16000)
        clips.append((audio, os.path.basename(path)[:-4].replace("_", " ").lower()))
    return clips


def turn(engine, audio: np.ndarray, phrases: list[str], state: bytes = b""):
    """One live turn; its final result and how many whole passes it took."""
    passes = []
    real = engine.decode_whole
    engine.decode_whole = lambda *a: passes.append(1) or real(*a)
    try:
        return live_turn(engine, audio, phrases, state), len(passes)
    finally:
        del engine.decode_whole


class SpeakerStateTest(unittest.TestCase):
    """A session's later turns start from its speaker's cepstral mean and need no second pass."""

    @classmethod
    def setUpClass(cls):
        cls.engine, _ = choose("pocketsphinx")
        cls.clips = alsa_clips()
        cls.phrases = [text for _, text in cls.clips]

    def test_the_decoders_mean_is_reached_and_checked_against_the_model(self):
        from nobody_stt.engines.pocketsphinx_cmn import CepstralMean

        self.assertTrue(self.engine.adapts, "the Debian pocketsphinx layout is recognized")
        decoder = self.engine._new_decoder(with_lm=False)
        initial = tuple(float(v) for v in decoder.get_config().get_string("-cmninit").split(","))
        access = CepstralMean.load(decoder, initial)
        self.assertEqual(tuple(round(v, 2) for v in access.get(decoder)), initial)
        self.assertIsNone(CepstralMean.load(decoder, (1.0,) * 13), "a mean that is not the model's")
        access.set(decoder, [1.5] * 13)
        self.assertEqual(access.get(decoder), (1.5,) * 13)

    def test_a_known_speakers_turn_is_final_without_a_second_pass(self):
        first, first_passes = turn(self.engine, self.clips[0][0], self.phrases)
        self.assertEqual((first.text, first_passes), (self.clips[0][1], 1), "an unknown speaker: whole pass")
        self.assertEqual(len(first.speaker_state), 6 + 4 * 13)
        state = first.speaker_state
        for audio, text in self.clips[1:]:
            result, passes = turn(self.engine, audio, self.phrases, state)
            self.assertEqual((result.text, passes), (text, 0))
            self.assertNotEqual(result.speaker_state, state, "each turn teaches the mean more")
            state = result.speaker_state

    def test_the_same_audio_and_state_give_the_same_transcript_whatever_came_before(self):
        state = turn(self.engine, self.clips[0][0], [])[0].speaker_state
        audio = self.clips[1][0]
        expected = turn(self.engine, audio, [], state)[0]
        for other, _ in self.clips[2:6]:
            turn(self.engine, other, [])  # other speakers through the same pooled decoders
            again = turn(self.engine, audio, [], state)[0]
            self.assertEqual((again.text, again.speaker_state), (expected.text, expected.speaker_state))

    def test_a_state_this_engine_did_not_make_is_refused(self):
        import struct

        from nobody_stt.engines.pocketsphinx_cmn import MAGIC

        before = self.engine.pooled()
        for state in (b"junk", MAGIC + b"\0" * 51, MAGIC + struct.pack("<13f", *([float("nan")] * 13)),
                      MAGIC + struct.pack("<13f", *([1e9] * 13))):
            with self.assertRaises(InvalidRequest):
                self.engine.open("en", [], True, state)
        self.assertEqual(self.engine.pooled(), before, "nothing taken from the pool")


if __name__ == "__main__":
    unittest.main()
