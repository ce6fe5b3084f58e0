"""The resampler the TTS worker streams its speech through: libsoxr (the SoX resampler, in C, on
every system that has sox or ffmpeg) through ctypes, or the numpy one in audio.py where libsoxr is
missing.

numpy's gather-and-sum resampled a minute of TTS audio in 0.08 s, longer than espeak-ng takes to
speak it; libsoxr does it in a few milliseconds at 20-bit quality (stop band below -120 dB,
linear phase).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math

import numpy as np

from nobody_common.audio import Resampler as NumpyResampler

_SOXR_FLOAT32_I = 0  # soxr_datatype_t: interleaved float32
_SOXR_HQ = 4  # soxr.h: SOXR_20_BITQ


class _IoSpec(ctypes.Structure):
    _fields_ = [
        ("itype", ctypes.c_int),
        ("otype", ctypes.c_int),
        ("scale", ctypes.c_double),
        ("e", ctypes.c_void_p),
        ("flags", ctypes.c_ulong),
    ]


class _QualitySpec(ctypes.Structure):
    _fields_ = [
        ("precision", ctypes.c_double),
        ("phase_response", ctypes.c_double),
        ("passband_end", ctypes.c_double),
        ("stopband_begin", ctypes.c_double),
        ("e", ctypes.c_void_p),
        ("flags", ctypes.c_ulong),
    ]


def _load():
    for name in (ctypes.util.find_library("soxr"), "libsoxr.so.0", "libsoxr.0.dylib", "libsoxr.dylib"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.soxr_io_spec.restype = _IoSpec
        lib.soxr_io_spec.argtypes = [ctypes.c_int, ctypes.c_int]
        lib.soxr_quality_spec.restype = _QualitySpec
        lib.soxr_quality_spec.argtypes = [ctypes.c_ulong, ctypes.c_ulong]
        lib.soxr_create.restype = ctypes.c_void_p
        lib.soxr_create.argtypes = [
            ctypes.c_double,
            ctypes.c_double,
            ctypes.c_uint,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.POINTER(_IoSpec),
            ctypes.POINTER(_QualitySpec),
            ctypes.c_void_p,
        ]
        lib.soxr_process.restype = ctypes.c_char_p
        lib.soxr_process.argtypes = [
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_size_t),
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_size_t),
        ]
        lib.soxr_delete.restype = None
        lib.soxr_delete.argtypes = [ctypes.c_void_p]
        return lib
    return None


_LIB = _load()


class SoxrResampler:
    """Streaming mono float32 resampling through libsoxr; `flush()` gives what it holds back."""

    def __init__(self, from_rate: int, to_rate: int):
        if _LIB is None:
            raise RuntimeError("libsoxr is not installed")
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError("sample rates must be positive")
        self.ratio = to_rate / from_rate
        self.passthrough = from_rate == to_rate
        self._handle = None
        if self.passthrough:
            return
        error = ctypes.c_char_p()
        io = _LIB.soxr_io_spec(_SOXR_FLOAT32_I, _SOXR_FLOAT32_I)
        quality = _LIB.soxr_quality_spec(_SOXR_HQ, 0)
        self._handle = _LIB.soxr_create(
            float(from_rate), float(to_rate), 1, ctypes.byref(error), ctypes.byref(io), ctypes.byref(quality), None
        )
        if not self._handle:
            raise RuntimeError(f"soxr_create failed: {error.value!r}")

    def _run(self, x: np.ndarray | None) -> np.ndarray:
        ilen = 0 if x is None else len(x)
        parts = []
        fed = 0
        # Output room for this input plus what the filter held back; drained until soxr has no more.
        room = math.ceil(ilen * self.ratio) + 1024
        while True:
            out = np.empty(room, dtype=np.float32)
            idone, odone = ctypes.c_size_t(0), ctypes.c_size_t(0)
            src = None if x is None else x[fed:].ctypes.data_as(ctypes.c_void_p)
            error = _LIB.soxr_process(
                self._handle,
                src,
                ilen - fed,
                ctypes.byref(idone),
                out.ctypes.data_as(ctypes.c_void_p),
                room,
                ctypes.byref(odone),
            )
            if error:
                raise RuntimeError(f"soxr_process failed: {error!r}")
            fed += idone.value
            parts.append(out[: odone.value])
            if fed >= ilen and odone.value < room:
                break
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def process(self, chunk: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(chunk, dtype=np.float32)
        if self.passthrough:
            return x.copy()
        if len(x) == 0:
            return np.zeros(0, dtype=np.float32)
        return self._run(x)

    def flush(self) -> np.ndarray:
        if self.passthrough or self._handle is None:
            return np.zeros(0, dtype=np.float32)
        return self._run(None)

    def __del__(self) -> None:
        if getattr(self, "_handle", None) and _LIB is not None:
            _LIB.soxr_delete(self._handle)
            self._handle = None


def streaming_resampler(from_rate: int, to_rate: int):
    """libsoxr when the system has it, else the numpy resampler: both have process() and flush()."""
    if _LIB is not None:
        return SoxrResampler(from_rate, to_rate)
    return NumpyResampler(from_rate, to_rate)


def soxr_available() -> bool:
    return _LIB is not None
