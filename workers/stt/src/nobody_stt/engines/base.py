"""The speech-to-text engine port inside the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nobody_common.engines import EngineUnavailable  # noqa: F401 (engines raise it from here)


class InvalidRequest(Exception):
    """The request cannot be served as asked (for example a phrase with an unknown word)."""


@dataclass
class Result:
    text: str
    end_of_turn_probability: float = 0.0
    # Final results: what the engine learned of this speaker and microphone, for the session's
    # next turn (opaque; empty when the engine keeps nothing).
    speaker_state: bytes = b""


class SttSession(Protocol):
    """One utterance. Not shared between threads."""

    def accept(self, audio: np.ndarray) -> Result | None:
        """Takes audio at the engine's rate; returns a partial result when the text changed."""

    def finish(self) -> Result:
        """Ends the utterance and returns the final text."""

    def close(self) -> None:
        """Releases the session's resources; safe after finish and on abort."""


class SttEngine(Protocol):
    name: str
    detail: str
    sample_rate: int

    def open(
        self, language: str, phrases: list[str], partials: bool = True, speaker_state: bytes = b""
    ) -> SttSession:
        """partials=False: a whole recording; no partial results are asked for. speaker_state: from
        the final result of the same session's last turn."""
        ...
