"""Audio conversion at the worker boundary: float32 little-endian bytes and band-limited resampling.

The core never resamples; every worker converts between the wire rate and its engine's rate here.
"""

from __future__ import annotations

import math

import numpy as np


def from_f32le(data: bytes) -> np.ndarray:
    if len(data) % 4 != 0:
        raise ValueError(f"audio must be whole float32 samples, got {len(data)} bytes")
    return np.frombuffer(data, dtype="<f4").astype(np.float32, copy=False)


def to_f32le(samples: np.ndarray) -> bytes:
    return np.asarray(samples, dtype="<f4").tobytes()


def from_s16le(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def to_s16le(samples: np.ndarray) -> bytes:
    clipped = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 32767 / 32768)
    return np.round(clipped * 32768.0).astype("<i2").tobytes()


class Resampler:
    """Streaming rational resampler: a polyphase Kaiser-windowed sinc low-pass.

    Chunks can be any size; the output is the same as resampling the whole signal at once. The
    cut-off sits below the lower Nyquist frequency so that nothing above it aliases.
    """

    def __init__(self, from_rate: int, to_rate: int):
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError("sample rates must be positive")
        g = math.gcd(from_rate, to_rate)
        self.up = to_rate // g
        self.down = from_rate // g
        self.from_rate = from_rate
        self.to_rate = to_rate
        self.passthrough = self.up == self.down
        if self.passthrough:
            return
        # Kaiser design for ~86 dB stop-band attenuation (beta 8.6): N = (A - 8) / (2.285 * 2pi *
        # width) at the upsampled rate. Downsampling must stop what would alias, so its transition
        # band is 0.9-1.0 of the lower Nyquist rate: about 54 * max(up, down) taps, i.e.
        # 54 * down / up per phase. Upsampling only removes images above the input's own band, so
        # 0.8-1.0 will do: half the taps, and a minute of TTS audio resamples in half the time.
        width = 0.1 if self.down > self.up else 0.2
        taps_per_phase = math.ceil(5.4 / width * max(1.0, self.down / self.up))
        self.taps = taps_per_phase
        m = max(self.up, self.down)
        n = taps_per_phase * self.up
        cutoff = (1 - width / 2) * 0.5 / m  # cycles per upsampled sample: the transition's middle
        t = np.arange(n) - (n - 1) / 2
        prototype = 2 * cutoff * np.sinc(2 * cutoff * t) * np.kaiser(n, 8.6)
        prototype *= self.up / prototype.sum()
        # phases[p][k] multiplies x[base - k] for an output whose upsampled index has phase p.
        # float32: half the memory traffic of the gather below, which is what the time goes to.
        self.phases = prototype.reshape(taps_per_phase, self.up).T.astype(np.float32)
        self.history = np.zeros(taps_per_phase - 1, dtype=np.float32)
        self.consumed = 0  # input samples seen
        self.produced = 0  # output samples made

    @property
    def delay_out(self) -> float:
        """Group delay of the filter in output samples."""
        return 0.0 if self.passthrough else (self.taps * self.up - 1) / 2 / self.down

    # Each output sample gathers `taps` inputs, so a chunk is worked through in steps. A step's
    # float32 arrays must stay near malloc's mmap threshold (128 KiB): far above it every temporary
    # array is a fresh mapping whose pages fault in, and the resampler ran 4.5x slower (0.71 s
    # instead of 0.16 s for a minute of TTS at 22.05 -> 24 kHz). One call with a whole recording
    # once took GBs. (Measured: BLOCK * 16 // taps per step, 0.079 s; * 8, 0.089 s.)
    BLOCK = 1 << 11

    def process(self, chunk: np.ndarray) -> np.ndarray:
        x = np.asarray(chunk, dtype=np.float32)
        if self.passthrough:
            return x.astype(np.float32)
        step = max(1, self.BLOCK * 16 // max(self.taps, 1))
        if len(x) <= step:
            return self._process(x)
        return np.concatenate([self._process(x[i:i + step]) for i in range(0, len(x), step)])

    def _process(self, x: np.ndarray) -> np.ndarray:
        buffer = np.concatenate([self.history, x])
        total = self.consumed + len(x)
        # Output n uses upsampled index n*down; its newest input is (n*down)//up, which must exist.
        last = (total * self.up - 1) // self.down
        n = np.arange(self.produced, last + 1)
        t = n * self.down
        base = t // self.up - self.consumed + len(self.history)
        phase = t % self.up
        index = base[:, None] - np.arange(self.taps)[None, :]
        out = np.einsum("ij,ij->i", buffer[index], self.phases[phase])
        self.produced = last + 1
        self.consumed = total
        self.history = buffer[-(self.taps - 1):]
        return out.astype(np.float32)

    def flush(self) -> np.ndarray:
        """Pushes zeros through so the output covers the input's whole duration."""
        if self.passthrough:
            return np.zeros(0, dtype=np.float32)
        return self.process(np.zeros(math.ceil(self.delay_out * self.down / self.up) + self.taps))


class AlignedResampler:
    """A stream at another rate, aligned with its input (the filter's delay removed) and exactly as
    long: what `resample` does to a whole signal, a block at a time in bounded memory."""

    def __init__(self, from_rate: int, to_rate: int):
        self.resampler = Resampler(from_rate, to_rate)
        self.from_rate, self.to_rate = from_rate, to_rate
        self.skip = round(self.resampler.delay_out)
        self.consumed = 0
        self.emitted = 0

    def _take(self, out: np.ndarray, limit: int | None) -> np.ndarray:
        if self.skip:
            dropped = min(self.skip, len(out))
            out = out[dropped:]
            self.skip -= dropped
        if limit is not None:
            out = out[: max(0, limit - self.emitted)]
        self.emitted += len(out)
        return out

    def process(self, chunk: np.ndarray) -> np.ndarray:
        self.consumed += len(chunk)
        return self._take(self.resampler.process(chunk), None)

    def finish(self) -> np.ndarray:
        wanted = math.ceil(self.consumed * self.to_rate / self.from_rate)
        return self._take(self.resampler.flush(), wanted)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """A whole signal at another rate: aligned with the input (the filter's delay removed) and as long."""
    r = AlignedResampler(from_rate, to_rate)
    return np.concatenate([r.process(samples), r.finish()])
