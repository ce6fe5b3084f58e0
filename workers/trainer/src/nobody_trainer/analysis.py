"""One pass over an uploaded sample: decode, write the normalized copy at the engine's rate and
measure its quality, a block at a time, so memory stays flat whatever the recording's length."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from nobody_common.audio import AlignedResampler
from nobody_trainer.decode import Stream, open_stream, write_wav_blocks
from nobody_trainer.quality import RATE, Quality, QualityReport


class Cancelled(Exception):
    """The caller went away; the partial output is removed."""


def analyze_file(
    source: Path, fmt: str, output: Path, rate: int, cancelled: Callable[[], bool] = lambda: False
) -> tuple[Stream, QualityReport]:
    stream = open_stream(source, fmt)
    to_engine = AlignedResampler(stream.rate, rate)
    to_measure = AlignedResampler(stream.rate, RATE)
    quality = Quality(source_rate=stream.rate)

    def normalized() -> Iterator[np.ndarray]:
        for block in stream.blocks:
            if cancelled():
                raise Cancelled()
            quality.add(to_measure.process(block))
            yield to_engine.process(block)
        quality.add(to_measure.finish())
        yield to_engine.finish()

    write_wav_blocks(output, normalized(), rate)
    return stream, quality.finish()
