"""The text-to-speech engine port inside the worker."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator, Protocol

import numpy as np

from nobody_common.engines import EngineUnavailable  # noqa: F401 (engines raise it from here)


class VoiceNotFound(Exception):
    """The requested voice has no artifact this engine can use."""


class Prepared(Protocol):
    """What prepare() started; closed when the stream ends, used or not."""

    def close(self) -> None: ...


class TtsEngine(Protocol):
    name: str
    detail: str
    sample_rate: int

    def load_voice(self, voice_dir: Path) -> object:
        """Loads a trained voice from its folder; raises VoiceNotFound."""

    def prepare(self, voice: object | None, speed: float) -> Prepared | None:
        """Work a stream's first piece can have done before its text exists (None: nothing)."""

    def synthesize(
        self,
        text: str,
        voice: object | None,
        speed: float,
        cancelled: threading.Event,
        first: bool = True,
        prepared: Prepared | None = None,
    ) -> Iterator[np.ndarray]:
        """Yields float32 audio at sample_rate as it is produced; stops early once cancelled is set.
        first: the utterance's first piece (a listener waits for it; later ones may wait their turn)."""
