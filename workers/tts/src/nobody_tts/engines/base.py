"""The text-to-speech engine port inside the worker."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator, Protocol

import numpy as np

from nobody_common.engines import EngineUnavailable  # noqa: F401 (engines raise it from here)


class VoiceNotFound(Exception):
    """The requested voice has no artifact this engine can use."""


class TtsEngine(Protocol):
    name: str
    detail: str
    sample_rate: int

    def load_voice(self, voice_dir: Path) -> object:
        """Loads a trained voice from its folder; raises VoiceNotFound."""

    def synthesize(
        self, text: str, voice: object | None, speed: float, cancelled: threading.Event
    ) -> Iterator[np.ndarray]:
        """Yields float32 audio at sample_rate as it is produced; stops early once cancelled is set."""
