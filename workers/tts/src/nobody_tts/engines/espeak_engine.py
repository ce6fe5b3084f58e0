"""espeak-ng: formant synthesis, offline, first audio in ~20 ms. It streams a WAV to stdout as it
speaks, so audio is forwarded while the rest is still being synthesized.

A trained voice is a speaker profile (espeak_profile.json, written by the trainer): the language
voice, the intonation (a variant's base and top pitch, and the variant whose formants it keeps) and
the rate that bring espeak-ng close to the speaker's measured F0, F0 spread and tempo. Profiles
from before intonation was fitted hold a voice and a -p pitch instead, and still speak.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from nobody_common import log
from nobody_common.espeak_voice import Intonation, VariantFolder
from nobody_tts.engines.base import EngineUnavailable, VoiceNotFound
from nobody_tts.engines.start_turns import StartTurns

PROFILE = "espeak_profile.json"
# 40 ms of 16-bit audio at 22050 Hz: small enough for a quick first chunk. After it, whatever
# espeak-ng has written is taken at once (up to 64 KiB): it speaks far faster than real time, and
# reading it 40 ms at a time made a long text thousands of reads and resampler calls.
FIRST_READ_BYTES = 1764
READ_BYTES = 64 * 1024
DEFAULT_WPM = 175


@dataclass(frozen=True)
class EspeakVoice:
    voice: str = "en-us"
    pitch: int = 50  # espeak-ng -p, 0-99
    wpm: int = DEFAULT_WPM
    intonation: Intonation | None = None


def _version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=5)
    return out.stdout.split(" Data at")[0].strip()


class EspeakEngine:
    name = "espeak-ng"
    sample_rate = 22050

    def __init__(self) -> None:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise EngineUnavailable("espeak-ng is not on PATH (brew install espeak-ng / apt install espeak-ng)")
        self.binary = binary
        self.detail = _version(binary)
        self.starts = StartTurns()
        try:
            self.variants: VariantFolder | None = VariantFolder(binary)
        except (OSError, RuntimeError, subprocess.SubprocessError) as error:
            # Cloned voices then keep their pitch and rate but lose their fitted pitch range.
            log.warn("espeak-ng variants are unavailable; fitted intonation is ignored", reason=str(error))
            self.variants = None

    def load_voice(self, voice_dir: Path) -> EspeakVoice:
        path = voice_dir / PROFILE
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError as error:
            raise VoiceNotFound(f"voice {voice_dir.name} has no espeak-ng profile; train it first") from error
        except (OSError, ValueError) as error:
            raise VoiceNotFound(f"voice {voice_dir.name} has a damaged profile: {error}") from error
        intonation = None
        shape = data.get("intonation")
        if isinstance(shape, dict):
            try:
                intonation = Intonation(int(shape["base"]), int(shape["top"]), str(shape.get("like", ""))).clamped()
            except (KeyError, TypeError, ValueError) as error:
                raise VoiceNotFound(f"voice {voice_dir.name} has a damaged profile: {error}") from error
        return EspeakVoice(
            intonation=intonation,
            voice=str(data.get("voice", "en-us")),
            pitch=int(np.clip(data.get("pitch", 50), 0, 99)),
            wpm=int(np.clip(data.get("wpm", DEFAULT_WPM), 80, 450)),
        )

    def _args(self, voice: EspeakVoice | None, speed: float) -> list[str]:
        v = voice or EspeakVoice()
        wpm = int(np.clip(v.wpm * (speed or 1.0), 80, 450))
        intonation = v.intonation if self.variants is not None else None
        voice_args = self.variants.args(v.voice, intonation) if self.variants is not None else ["-v", v.voice]
        return [self.binary, "--stdout", *voice_args, "-p", str(v.pitch), "-s", str(wpm)]

    @staticmethod
    def _spawn(args: list[str]) -> subprocess.Popen:
        return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def prepare(self, voice: EspeakVoice | None, speed: float) -> "Prepared":
        """Starts espeak-ng for a stream's first piece before its text exists. Nearly all of its
        CPU for a short sentence is start-up (6.5 of 6.7 ms for "Sure."): loading phonemes, voice
        and dictionary. Started when the stream opens, that overlaps the LLM's first tokens, and
        the first sentence's audio follows its text in a quarter of a millisecond."""
        args = self._args(voice, speed)
        return Prepared(args, self._spawn(args))

    def synthesize(
        self,
        text: str,
        voice: EspeakVoice | None,
        speed: float,
        cancelled: threading.Event,
        first: bool = True,
        prepared: "Prepared | None" = None,
    ) -> Iterator[np.ndarray]:
        args = self._args(voice, speed)
        starting = self.starts.acquire(first, cancelled)
        if cancelled.is_set():
            self._done_starting(starting)
            return
        try:
            proc = (prepared.take(args) if prepared else None) or self._spawn(args)
        except BaseException:
            self._done_starting(starting)
            raise
        try:
            # Text goes through stdin, never the command line, so no text can act as an option.
            proc.stdin.write(text.encode("utf-8"))
            proc.stdin.close()
            header = self._read_exactly(proc, 44)
            if len(header) < 44 or header[:4] != b"RIFF":
                raise RuntimeError(f"espeak-ng produced no audio: {proc.stderr.read().decode(errors='replace')}")
            rate = struct.unpack_from("<I", header, 24)[0]
            if rate != self.sample_rate:
                raise RuntimeError(f"espeak-ng speaks at {rate} Hz, expected {self.sample_rate}")
            carry = b""
            size = FIRST_READ_BYTES
            while not cancelled.is_set():
                block = proc.stdout.read1(size)
                size = READ_BYTES
                starting = self._done_starting(starting)
                if not block:
                    break
                block = carry + block
                whole = len(block) - len(block) % 2
                carry = block[whole:]
                if whole:
                    yield np.frombuffer(block[:whole], dtype="<i2").astype(np.float32) / 32768.0
        finally:
            self._done_starting(starting)
            _stop(proc)

    def _done_starting(self, starting: bool) -> bool:
        if starting:
            self.starts.release()
        return False

    @staticmethod
    def _read_exactly(proc: subprocess.Popen, size: int) -> bytes:
        data = b""
        while len(data) < size:
            block = proc.stdout.read(size - len(data))
            if not block:
                break
            data += block
        return data


class Prepared:
    """An espeak-ng process started ahead for one stream, used by its first piece or killed."""

    def __init__(self, args: list[str], proc: subprocess.Popen) -> None:
        self.args = args
        self.proc: subprocess.Popen | None = proc

    def take(self, args: list[str]) -> subprocess.Popen | None:
        """The process, if it was started for these settings and is still waiting for text."""
        proc, self.proc = self.proc, None
        if proc is not None and (args != self.args or proc.poll() is not None):
            _stop(proc)
            return None
        return proc

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        stream.close()
