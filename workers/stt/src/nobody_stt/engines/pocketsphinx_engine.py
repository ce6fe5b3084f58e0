"""pocketsphinx (CMU Sphinx): small and offline. Accuracy on open speech is poor, so a phrase list
(compiled to a JSGF grammar) is the way to exact results for commands and tests."""

from __future__ import annotations

import os
import re
import threading

import numpy as np

from nobody_stt.engines.base import EngineUnavailable, InvalidRequest, Result

try:
    import pocketsphinx
    from pocketsphinx import Decoder
except ImportError as error:  # pragma: no cover - depends on the machine
    raise EngineUnavailable(f"not installed ({error})") from error

RATE = 16000
# Partial results every 200 ms of audio: often enough to show progress, rare enough to be cheap.
PARTIAL_EVERY = RATE // 5


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
        self._pool: list[Decoder] = []
        self._lock = threading.Lock()
        # Load one decoder now so the first request does not pay for it, and a broken model fails here.
        self._release(self._new_decoder())

    def _new_decoder(self) -> Decoder:
        config = Decoder.default_config()
        config.set_string("-hmm", os.path.join(self.model, "en-us"))
        config.set_string("-dict", os.path.join(self.model, "cmudict-en-us.dict"))
        config.set_string("-lm", os.path.join(self.model, "en-us.lm.bin"))
        config.set_string("-logfn", os.devnull)
        return Decoder(config)

    def _take(self) -> Decoder:
        with self._lock:
            if self._pool:
                return self._pool.pop()
        return self._new_decoder()

    def _release(self, decoder: Decoder) -> None:
        with self._lock:
            self._pool.append(decoder)

    def open(self, language: str, phrases: list[str]) -> "PocketsphinxSession":
        if language and not language.lower().startswith("en"):
            raise InvalidRequest(f"pocketsphinx here has an English model only, not {language!r}")
        decoder = self._take()
        try:
            if phrases:
                decoder.set_jsgf_string("phrases", self._grammar(decoder, phrases))
                decoder.set_search("phrases")
            else:
                decoder.set_search("_default")
        except InvalidRequest:
            self._release(decoder)
            raise
        return PocketsphinxSession(decoder, self._release)

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
    def __init__(self, decoder: Decoder, release) -> None:
        self.decoder = decoder
        self.release = release
        self.since_partial = 0
        self.last_partial = ""
        self.open = True
        decoder.start_utt()

    def accept(self, audio: np.ndarray) -> Result | None:
        pcm = np.clip(audio * 32768.0, -32768, 32767).astype("<i2").tobytes()
        self.decoder.process_raw(pcm, False, False)
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
        self.decoder.end_utt()
        self.open = False
        hyp = self.decoder.hyp()
        return Result(hyp.hypstr if hyp is not None else "", end_of_turn_probability=1.0)

    def close(self) -> None:
        if self.open:
            self.decoder.end_utt()
            self.open = False
        if self.decoder is not None:
            self.release(self.decoder)
            self.decoder = None
