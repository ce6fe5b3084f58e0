"""What a pocketsphinx decoder knows of a speaker and a microphone: its cepstral mean (CMN).

The features pocketsphinx scores are cepstra minus their mean. Over a whole utterance that mean is
the utterance's own ("batch" CMN); while audio streams in, it is a running estimate that starts
from the model's training mean, so the first seconds of a new voice or microphone decode badly.
That is why a streamed transcript of real speech was worse than a whole pass
(83% against 59% word errors over LibriVox and Allison's prompts). Started from the mean of the same
session's earlier turns, the streamed transcript is as good (56%), and needs no second pass.

The Python bindings do not expose the mean; libsphinxbase does (cmn_live_get / cmn_live_set), on
the decoder's feat_t, which the bindings hand out. The struct is read through its published layout
and checked against the model's own initial mean before anything is trusted: a mismatch makes the
engine fall back to whole passes, never write through a wrong pointer.

A state crosses the core as bytes: MAGIC, then VECLEN float32 values."""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import struct

MAGIC = b"pscmn1"
VECLEN = 13
# Cepstra of 16-bit audio stay well inside this; a value past it was not made by this engine.
LIMIT = 1000.0


class _Feat(ctypes.Structure):
    # sphinxbase/feat.h, feat_t, up to the field needed; ctypes applies the platform's alignment.
    _fields_ = [
        ("refcount", ctypes.c_int),
        ("name", ctypes.c_char_p),
        ("cepsize", ctypes.c_int32),
        ("n_stream", ctypes.c_int32),
        ("stream_len", ctypes.c_void_p),
        ("window_size", ctypes.c_int32),
        ("n_sv", ctypes.c_int32),
        ("sv_len", ctypes.c_void_p),
        ("subvecs", ctypes.c_void_p),
        ("sv_buf", ctypes.c_void_p),
        ("sv_dim", ctypes.c_int32),
        ("cmn", ctypes.c_int),
        ("varnorm", ctypes.c_int32),
        ("agc", ctypes.c_int),
        ("compute_feat", ctypes.c_void_p),
        ("cmn_struct", ctypes.c_void_p),
    ]


class _Cmn(ctypes.Structure):
    # sphinxbase/cmn.h, cmn_t.
    _fields_ = [
        ("cmn_mean", ctypes.c_void_p),
        ("cmn_var", ctypes.c_void_p),
        ("sum", ctypes.c_void_p),
        ("nframe", ctypes.c_int32),
        ("veclen", ctypes.c_int32),
    ]


class InvalidState(ValueError):
    """Bytes that are not a speaker state this engine made."""


def decode_state(state: bytes) -> tuple[float, ...]:
    if len(state) != len(MAGIC) + 4 * VECLEN or not state.startswith(MAGIC):
        raise InvalidState(f"speaker_state is not a pocketsphinx state ({len(state)} bytes)")
    values = struct.unpack(f"<{VECLEN}f", state[len(MAGIC):])
    if not all(math.isfinite(v) and abs(v) < LIMIT for v in values):
        raise InvalidState("speaker_state holds values no microphone gives")
    return values


def encode_state(values) -> bytes:
    return MAGIC + struct.pack(f"<{VECLEN}f", *values)


class CepstralMean:
    """Reads and sets a decoder's running cepstral mean; None from `load` when that is not safe."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self._get = lib.cmn_live_get
        self._set = lib.cmn_live_set
        for fn in (self._get, self._set):
            fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
            fn.restype = None

    @classmethod
    def load(cls, decoder, expected: tuple[float, ...]) -> "CepstralMean | None":
        """Checks the layout on a fresh decoder: its mean must be the model's -cmninit."""
        path = ctypes.util.find_library("sphinxbase") or "libsphinxbase.so.3"
        try:
            access = cls(ctypes.CDLL(path))
            feat = _Feat.from_address(int(decoder.get_feat().this))
            if feat.name != b"1s_c_d_dd" or feat.cepsize != VECLEN or not feat.cmn_struct:
                return None
            if _Cmn.from_address(feat.cmn_struct).veclen != VECLEN or len(expected) != VECLEN:
                return None
            got = access.get(decoder)
        except (OSError, AttributeError, ValueError, TypeError):
            return None
        if any(abs(a - b) > 1e-4 for a, b in zip(got, expected)):
            return None
        return access

    @staticmethod
    def _cmn(decoder) -> ctypes.c_void_p:
        # Borrowed: the decoder owns its feat_t (get_feat() does not take ownership).
        return ctypes.c_void_p(_Feat.from_address(int(decoder.get_feat().this)).cmn_struct)

    def get(self, decoder) -> tuple[float, ...]:
        vec = (ctypes.c_float * VECLEN)()
        self._get(self._cmn(decoder), vec)
        return tuple(vec)

    def set(self, decoder, values) -> None:
        self._set(self._cmn(decoder), (ctypes.c_float * VECLEN)(*values))

    def running(self, decoder) -> tuple[float, ...]:
        """The streamed mean with every frame so far in it: sum / nframe, which is what
        cmn_live_update makes the mean at the end of an utterance. That update is skipped when
        the last frames fill pocketsphinx's buffer (seen on every other turn), so it is not
        waited for."""
        cmn = _Cmn.from_address(self._cmn(decoder).value)
        if cmn.nframe <= 0:
            return self.get(decoder)
        sums = (ctypes.c_float * VECLEN).from_address(cmn.sum)
        return tuple(v / cmn.nframe for v in sums)
