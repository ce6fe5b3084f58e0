"""Kyutai Pocket TTS, the production engine: 24 kHz, streaming, voice cloning.

Written against the documented pocket_tts API: TTSModel.load_model(), has_voice_cloning (gated
weights fall back silently, so it is checked after load), get_state_for_audio_prompt() for a
voice (a .safetensors state exported by the trainer loads fast), and generate_audio_stream().
One model instance serves one stream at a time.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

import numpy as np

from nobody_common import log
from nobody_tts.engines.base import EngineUnavailable, VoiceNotFound

try:
    from pocket_tts import TTSModel
except ImportError as error:  # pragma: no cover - not installed here
    raise EngineUnavailable(f"not installed ({error})") from error

STATE = "pocket_voice.safetensors"
DEFAULT_VOICE = "alba"


class PocketEngine:
    name = "pocket-tts"

    def __init__(self) -> None:
        try:
            self.model = TTSModel.load_model()
        except Exception as error:
            raise EngineUnavailable(f"cannot load the model: {error}") from error
        self.sample_rate = int(self.model.sample_rate)
        self.cloning = bool(getattr(self.model, "has_voice_cloning", False))
        if not self.cloning:
            log.warn("pocket-tts loaded without voice cloning; cloned voices will be refused")
        self.detail = f"pocket-tts ({'with' if self.cloning else 'without'} voice cloning)"
        self.default_state = self.model.get_state_for_audio_prompt(DEFAULT_VOICE)
        self.lock = threading.Lock()

    def load_voice(self, voice_dir: Path) -> object:
        path = voice_dir / STATE
        if not path.exists():
            raise VoiceNotFound(f"voice {voice_dir.name} has no Pocket TTS state; train it first")
        return self.model.get_state_for_audio_prompt(path)

    def prepare(self, voice: object | None, speed: float) -> None:
        return None  # the model stays loaded: nothing to start ahead

    def synthesize(
        self,
        text: str,
        voice: object | None,
        speed: float,
        cancelled: threading.Event,
        first: bool = True,
        prepared: object | None = None,
    ) -> Iterator[np.ndarray]:
        state = voice if voice is not None else self.default_state
        with self.lock:
            for chunk in self.model.generate_audio_stream(state, text, copy_state=True):
                if cancelled.is_set():
                    return
                yield chunk.detach().cpu().numpy().astype(np.float32)
