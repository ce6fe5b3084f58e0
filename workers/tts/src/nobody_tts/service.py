"""The TextToSpeech gRPC service: audio streams back as the engine produces it."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Iterator

import grpc
import numpy as np

from nobody.v1 import audio_pb2, tts_pb2, tts_pb2_grpc
from nobody_common import log
from nobody_common.audio import to_f32le, to_s16le
from nobody_common.soxr import streaming_resampler
from nobody_tts.engines.base import TtsEngine, VoiceNotFound

MAX_TEXT = 20_000
# The first chunk is at most 40 ms, so it leaves as soon as the engine has it; each next one may
# be twice as long, up to a second: a long text is a few dozen messages, not thousands, and the
# core paces what it plays whatever the chunk size.
FIRST_CHUNK_MS = 40
MAX_CHUNK_MS = 1000
# Audio is held back to fill a bigger chunk only while the listener has this much ahead.
LEAD_MS = 300
VOICE_ID = re.compile(r"^voice_[a-z2-7]{20}$")


class Chunker:
    """Cuts speech into messages: 40 ms first, then each twice the last, up to a second, filled
    only while the listener has LEAD_MS of audio ahead (a slow engine's audio is sent at once)."""

    def __init__(self, rate: int):
        self.rate = rate
        self.limit = rate * FIRST_CHUNK_MS // 1000
        self.pending: list[np.ndarray] = []
        self.held = 0
        self.sent = 0
        self.start = time.monotonic()

    def _ahead_ms(self) -> float:
        return self.sent * 1000 / self.rate - (time.monotonic() - self.start) * 1000

    def _take(self, size: int) -> np.ndarray:
        audio = np.concatenate(self.pending) if len(self.pending) > 1 else self.pending[0]
        chunk, rest = audio[:size], audio[size:]
        self.pending = [rest] if len(rest) else []
        self.held = len(rest)
        self.sent += len(chunk)
        self.limit = min(self.limit * 2, self.rate * MAX_CHUNK_MS // 1000)
        return chunk

    def push(self, samples: np.ndarray) -> Iterator[np.ndarray]:
        if len(samples):
            self.pending.append(samples)
            self.held += len(samples)
        while self.held >= self.limit:
            yield self._take(self.limit)
        if self.held and self._ahead_ms() < LEAD_MS:
            yield self._take(self.held)

    def flush(self) -> Iterator[np.ndarray]:
        while self.held:
            yield self._take(min(self.held, self.limit))


class TextToSpeechService(tts_pb2_grpc.TextToSpeechServicer):
    def __init__(self, engine: TtsEngine, voices_dir: Path):
        self.engine = engine
        self.voices_dir = voices_dir

    def _voice(self, settings, context):
        voice_id = settings.voice.voice_id
        if not voice_id:
            return None
        if not VOICE_ID.match(voice_id):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{voice_id!r} is not a voice id")
        try:
            return self.engine.load_voice(self.voices_dir / voice_id)
        except VoiceNotFound as error:
            context.abort(grpc.StatusCode.NOT_FOUND, str(error))

    def _rate(self, settings, context) -> int:
        rate = settings.sample_rate or self.engine.sample_rate
        if not 8000 <= rate <= 192000:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"sample_rate {rate} is outside 8000-192000")
        return rate

    def _speak(
        self, text, voice, settings, rate, index, cancelled, prepared=None
    ) -> Iterator[tts_pb2.SynthesizeResponse]:
        resampler = streaming_resampler(self.engine.sample_rate, rate)
        chunks = Chunker(rate)

        def message(samples: np.ndarray):
            audio = (
                audio_pb2.Audio(pcm_s16le=to_s16le(samples), sample_rate=rate)
                if settings.pcm_s16le
                else audio_pb2.Audio(pcm_f32le=to_f32le(samples), sample_rate=rate)
            )
            return tts_pb2.SynthesizeResponse(audio=audio, text_index=index)

        for block in self.engine.synthesize(text, voice, settings.speed, cancelled, index == 0, prepared):
            for chunk in chunks.push(resampler.process(block)):
                yield message(chunk)
        if not cancelled.is_set():
            for chunk in chunks.push(resampler.flush()):
                yield message(chunk)
            for chunk in chunks.flush():
                yield message(chunk)

    @staticmethod
    def _check_text(text: str, context) -> None:
        if not text.strip():
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "text is empty")
        if len(text) > MAX_TEXT:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"text is longer than {MAX_TEXT} characters")

    @staticmethod
    def _cancellation(context) -> threading.Event:
        cancelled = threading.Event()
        context.add_callback(cancelled.set)
        return cancelled

    def Synthesize(self, request, context):
        self._check_text(request.text, context)
        voice = self._voice(request.settings, context)
        rate = self._rate(request.settings, context)
        cancelled = self._cancellation(context)
        log.info("synthesizing", chars=len(request.text), pii={"text": request.text})
        yield from self._speak(request.text, voice, request.settings, rate, 0, cancelled)

    def SynthesizeStream(self, request_iterator, context):
        first = next(request_iterator, None)
        if first is None or first.WhichOneof("payload") != "settings":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "the first message must carry the settings")
        settings = first.settings
        voice = self._voice(settings, context)
        rate = self._rate(settings, context)
        cancelled = self._cancellation(context)
        # A reply's stream opens when its turn starts, long before its first sentence exists.
        prepared = self.engine.prepare(voice, settings.speed)
        try:
            for index, request in enumerate(request_iterator):
                if request.WhichOneof("payload") != "text":
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "only text may follow the settings")
                self._check_text(request.text, context)
                yield from self._speak(request.text, voice, settings, rate, index, cancelled, prepared)
                if cancelled.is_set():
                    return
        finally:
            if prepared is not None:
                prepared.close()
