"""pocketsphinx (CMU Sphinx): small and offline. Accuracy on open speech is poor, so a phrase list
(compiled to a JSGF grammar) is the way to exact results for commands and tests.

Partial results come from a streaming decoder while audio arrives. The final text comes from a
second pass over the whole utterance, as pocketsphinx decoding a clip whole does (on real speech as
accurate as that, and better than streaming; on synthetic espeak speech streaming does better).

A decoder keeps state from earlier utterances (its noise estimate, its live cepstral mean). The
final pass runs on decoders that only ever decode whole utterances, each in a new stream
(`start_stream` resets the noise estimate; whole passes leave no mean behind), so the same audio
gives the same transcript whatever came before. Both kinds are pooled and reused: a build costs
0.1-0.3 s of CPU, ten times the decoding of a short command, and building one per turn was what
made many sessions at once slow.

The second pass is needed only while the engine does not know the speaker: a final result carries
the utterance's cepstral mean (pocketsphinx_cmn.py) as the session's speaker state, and a turn
that starts from it is decoded while the person speaks, its streamed result final at once. The
key release then waits for no decoding at all."""

from __future__ import annotations

import os
import re
import threading

import numpy as np

from nobody_stt.engines.base import EngineUnavailable, InvalidRequest, Result
from nobody_stt.engines.pocketsphinx_cmn import CepstralMean, InvalidState, decode_state, encode_state

try:
    import pocketsphinx
    from pocketsphinx import Decoder
except ImportError as error:  # pragma: no cover - depends on the machine
    raise EngineUnavailable(f"not installed ({error})") from error

RATE = 16000
# Partial results every 200 ms of audio: often enough to show progress, rare enough to be cheap.
PARTIAL_EVERY = RATE // 5
# The whole-utterance pass keeps the utterance as 16-bit audio: ten minutes is 19 MB. Longer
# utterances keep the streamed result.
MAX_WHOLE_SAMPLES = RATE * 600
# Final passes at once per process (see PocketsphinxEngine.__init__).
FINAL_SLOTS = 2
# pocketsphinx's decoder set-up is not thread-safe: two threads building decoders at once
# deadlock (or worse) inside stdio. Builds take turns.
_BUILD_LOCK = threading.Lock()
# A decoder built with -logfn opens that file as the process-wide log and fcloses the previous
# one, while decoders on other threads may be writing to it (end_utt logs): a use after free, the
# kind that aborts with "free(): invalid pointer". The log is redirected once, by the first build.
_log_redirected = False


def _model_dir() -> str:
    base = os.environ.get("NOBODY_POCKETSPHINX_MODEL") or os.path.join(pocketsphinx.get_model_path())
    if not os.path.isdir(os.path.join(base, "en-us")):
        raise EngineUnavailable(f"no en-us model under {base} (Debian: apt install pocketsphinx-en-us)")
    return base


class PocketsphinxEngine:
    name = "pocketsphinx"
    sample_rate = RATE

    def __init__(self) -> None:
        self.model = _model_dir()
        self.detail = f"pocketsphinx en-us ({self.model})"
        # Pools per (final pass?, language model?); a phrase list needs no language model.
        self._pools: dict[tuple[bool, bool], list[Decoder]] = {
            (final, lm): [] for final in (False, True) for lm in (False, True)
        }
        self._lock = threading.Lock()
        # A final pass is short (15 ms for a command): a few at a time keep a core busy, and bound
        # the final decoders a burst of turns builds (27 MB each, 90 MB with the language model).
        self._final_slots = threading.BoundedSemaphore(FINAL_SLOTS)
        # Build one now so a broken model fails at start-up, and a few grammar decoders in the
        # background so concurrent command sessions do not each pay for one.
        first = self._new_decoder(with_lm=True)
        self._initial_mean = tuple(float(v) for v in first.get_config().get_string("-cmninit").split(","))
        self._cmn = CepstralMean.load(first, self._initial_mean)
        self._release(self._claim(first))
        warm = int(os.environ.get("NOBODY_STT_WARM_DECODERS", "2"))
        threading.Thread(target=self._warm, args=(warm,), name="decoder-warmup", daemon=True).start()

    def _warm(self, count: int) -> None:
        for index in range(count):
            self._release(self._claim(self._new_decoder(with_lm=False)))
            if index < FINAL_SLOTS:
                self._release(self._claim(self._new_decoder(with_lm=False, final=True)))

    def _new_decoder(self, with_lm: bool, final: bool = False) -> Decoder:
        config = Decoder.default_config()
        config.set_string("-hmm", os.path.join(self.model, "en-us"))
        config.set_string("-dict", os.path.join(self.model, "cmudict-en-us.dict"))
        if with_lm:
            config.set_string("-lm", os.path.join(self.model, "en-us.lm.bin"))
        global _log_redirected
        with _BUILD_LOCK:
            if not _log_redirected:
                config.set_string("-logfn", os.devnull)
            decoder = Decoder(config)
            _log_redirected = True
        decoder.nobody_with_lm = with_lm
        decoder.nobody_final = final
        decoder.nobody_in_use = False
        return decoder

    @staticmethod
    def _claim(decoder: Decoder) -> Decoder:
        # A decoder is not safe on two threads at once: one handed out twice would corrupt native
        # memory, so that is refused here, loudly, before pocketsphinx sees it.
        if decoder.nobody_in_use:
            raise RuntimeError("a pocketsphinx decoder was handed out while in use")
        decoder.nobody_in_use = True
        return decoder

    def _take(self, with_lm: bool, final: bool = False) -> Decoder:
        with self._lock:
            pool = self._pools[(final, with_lm)]
            if pool:
                return self._claim(pool.pop())
        return self._claim(self._new_decoder(with_lm, final))

    def _release(self, decoder: Decoder) -> None:
        # Kept, never freed: freeing touches the same process-wide state as building.
        with self._lock:
            pool = self._pools[(decoder.nobody_final, decoder.nobody_with_lm)]
            if any(d is decoder for d in pool):
                raise RuntimeError("a pocketsphinx decoder was released twice")
            decoder.nobody_in_use = False
            pool.append(decoder)

    @property
    def adapts(self) -> bool:
        """Whether a speaker state is kept and used (the decoder's mean could be reached)."""
        return self._cmn is not None

    def _state_of(self, decoder: Decoder) -> bytes:
        """A decoder's mean after an utterance: the batch mean of a whole pass, or the running
        one of a streamed utterance."""
        if not self._cmn:
            return b""
        return encode_state(self._cmn.get(decoder) if decoder.nobody_final else self._cmn.running(decoder))

    def decode_whole(self, pcm: bytes, phrases: list[str]) -> tuple[str, bytes]:
        """One pass over a whole utterance, on a decoder that has only ever decoded whole ones;
        its text and the utterance's mean as a speaker state."""
        with self._final_slots:
            decoder = self._take(with_lm=not phrases, final=True)
            try:
                if phrases:
                    decoder.set_jsgf_string("phrases", self._grammar(decoder, phrases))
                    decoder.set_search("phrases")
                decoder.start_stream()
                decoder.start_utt()
                decoder.process_raw(pcm, False, True)
                decoder.end_utt()
                hyp = decoder.hyp()
                return (hyp.hypstr if hyp is not None else ""), self._state_of(decoder)
            finally:
                self._release(decoder)

    def pooled(self) -> int:
        with self._lock:
            return sum(len(p) for p in self._pools.values())

    def open(
        self, language: str, phrases: list[str], partials: bool = True, speaker_state: bytes = b""
    ) -> "PocketsphinxSession":
        if language and not language.lower().startswith("en"):
            raise InvalidRequest(f"pocketsphinx here has an English model only, not {language!r}")
        try:
            mean = decode_state(speaker_state) if speaker_state else None
        except InvalidState as error:
            raise InvalidRequest(str(error)) from error
        decoder = self._take(with_lm=not phrases)
        try:
            if phrases:
                decoder.set_jsgf_string("phrases", self._grammar(decoder, phrases))
                decoder.set_search("phrases")
        except InvalidRequest:
            self._release(decoder)
            raise
        # Every utterance starts from a known mean, the speaker's or the model's, never from
        # whoever used this decoder last: the same audio gives the same partials too.
        if self._cmn:
            self._cmn.set(decoder, mean or self._initial_mean)
        session = PocketsphinxSession(decoder, self._release, lambda pcm: self.decode_whole(pcm, phrases))
        session.phrases = bool(phrases)
        session.live = partials
        session.state_of = self._state_of
        # A known speaker's live result is final: no second pass, so nothing is buffered for it.
        if partials and mean is not None and self._cmn is not None:
            session.utterance = None
        return session

    @staticmethod
    def _grammar(decoder: Decoder, phrases: list[str]) -> str:
        alternatives = []
        for phrase in phrases:
            words = re.findall(r"[a-z']+", phrase.lower())
            if not words:
                raise InvalidRequest(f"phrase {phrase!r} has no words")
            for word in words:
                if decoder.lookup_word(word) is None:
                    raise InvalidRequest(f"the word {word!r} is not in the pronunciation dictionary")
            alternatives.append(" ".join(words))
        return "#JSGF V1.0;\ngrammar phrases;\npublic <s> = " + " | ".join(alternatives) + ";\n"


class PocketsphinxSession:
    def __init__(self, decoder: Decoder, release, decode_whole) -> None:
        self.decoder = decoder
        self.release = release
        self.decode_whole = decode_whole
        self.utterance = bytearray()
        self.phrases = False
        self.since_partial = 0
        self.last_partial = ""
        self.open = True
        # A whole recording (no partials) is decoded once, at the end: decoding it as it arrives
        # as well made transcribing a file take twice the engine's time.
        self.live = True
        self.state_of = lambda decoder: b""
        decoder.start_stream()
        decoder.start_utt()

    def accept(self, audio: np.ndarray) -> Result | None:
        pcm = np.clip(audio * 32768.0, -32768, 32767).astype("<i2").tobytes()
        if not self.live:
            self.utterance += pcm
            return None
        self.decoder.process_raw(pcm, False, False)
        if self.utterance is not None:
            if len(self.utterance) + len(pcm) > MAX_WHOLE_SAMPLES * 2:
                self.utterance = None
            else:
                self.utterance += pcm
        self.since_partial += len(audio)
        if self.since_partial < PARTIAL_EVERY:
            return None
        self.since_partial = 0
        hyp = self.decoder.hyp()
        text = hyp.hypstr if hyp is not None else ""
        # Mid-utterance the grammar search can briefly have no hypothesis: not worth reporting.
        if not text or text == self.last_partial:
            return None
        self.last_partial = text
        return Result(text)

    def finish(self) -> Result:
        if not self.live and len(self.utterance) > MAX_WHOLE_SAMPLES * 2:
            # Longer than one whole pass takes: the streaming search decodes it after all.
            self.decoder.process_raw(bytes(self.utterance), False, True)
            self.utterance = None
        self.decoder.end_utt()
        self.open = False
        hyp = self.decoder.hyp()
        streamed = hyp.hypstr if hyp is not None else ""
        if self.utterance is None:
            # A known speaker (or an utterance too long to keep): the streamed search is final,
            # and its mean, updated by this utterance, is the speaker's from now on.
            return Result(streamed, end_of_turn_probability=1.0, speaker_state=self.state_of(self.decoder))
        text, state = self.decode_whole(bytes(self.utterance))
        # A grammar search that finds no complete path over the whole utterance says nothing,
        # while the streamed search still holds its best phrase: a command is not lost for that.
        if not text and self.phrases:
            text = streamed
        return Result(text, end_of_turn_probability=1.0, speaker_state=state)

    def close(self) -> None:
        if self.open:
            self.decoder.end_utt()
            self.open = False
        if self.decoder is not None:
            self.release(self.decoder)
            self.decoder = None
