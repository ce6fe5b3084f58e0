"""Decodes an uploaded sample of any common format to mono float32, and writes the normalized copy
the engine trains on. WAV is read directly; FLAC and Ogg go through sox; MP3 and M4A through ffmpeg
(or sox when it was built with MP3 support). The core never decodes or resamples audio itself."""

from __future__ import annotations

import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nobody_common.audio import resample, to_s16le
from nobody_common.files import write_atomically

# What each container needs, best tool first.
DECODERS = {
    # Python's wave module reads plain PCM; WAVE_FORMAT_EXTENSIBLE and float WAV need a tool.
    "wav": ("python", "sox", "ffmpeg"),
    "flac": ("sox", "ffmpeg"),
    "ogg": ("sox", "ffmpeg"),
    "mp3": ("ffmpeg", "sox"),
    "m4a": ("ffmpeg",),
}
# Long enough for an hour of audio on a slow machine; a hung decoder must not hang the upload.
DECODE_TIMEOUT_S = 120


class DecodeError(ValueError):
    """The file is corrupt, or nothing on this machine decodes its format."""


@dataclass
class Decoded:
    audio: np.ndarray  # mono float32 at `rate`
    rate: int
    channels: int


def _read_wav(path: Path) -> Decoded:
    try:
        with wave.open(str(path), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as error:
        raise DecodeError(f"the WAV file is corrupt ({error})") from None
    if width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        samples = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).astype(np.float32) / 8388608.0
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    else:
        raise DecodeError(f"{8 * width}-bit WAV is not supported")
    frames = len(samples) // channels
    mono = samples[: frames * channels].reshape(-1, channels).mean(axis=1)
    return Decoded(mono.astype(np.float32), rate, channels)


def _probe_channels_and_rate(tool: str, path: Path) -> tuple[int, int]:
    if tool == "sox":
        out = subprocess.run(["soxi", str(path)], capture_output=True, text=True, timeout=30)
        facts = dict(
            (k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in out.stdout.splitlines()) if v
        )
        return int(facts.get("Channels", "1")), int(facts.get("Sample Rate", "48000"))
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=channels,sample_rate",
         "-of", "default=noprint_wrappers=1", str(path)],
        capture_output=True, text=True, timeout=30,
    )
    facts = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    return int(facts.get("channels", "1")), int(facts.get("sample_rate", "48000"))


def _run_tool(tool: str, path: Path, fmt: str) -> Decoded:
    channels, rate = _probe_channels_and_rate(tool, path)
    if tool == "sox":
        args = ["sox", "-t", fmt, str(path), "-t", "raw", "-e", "float", "-b", "32", "-c", "1", "-"]
    else:
        args = ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-vn", "-ac", "1", "-f", "f32le", "-"]
    try:
        out = subprocess.run(args, capture_output=True, timeout=DECODE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise DecodeError(f"decoding the {fmt.upper()} file took over {DECODE_TIMEOUT_S} s") from None
    if out.returncode != 0 or len(out.stdout) < 4:
        reason = out.stderr.decode(errors="replace").strip().splitlines()
        raise DecodeError(f"the {fmt.upper()} file could not be decoded ({reason[-1] if reason else 'no audio'})")
    audio = np.frombuffer(out.stdout[: len(out.stdout) // 4 * 4], dtype="<f4").copy()
    return Decoded(audio, rate, channels)


def _sox_reads(fmt: str) -> bool:
    out = subprocess.run(["sox", "-h"], capture_output=True, text=True).stdout
    formats = next((line for line in out.splitlines() if line.startswith("AUDIO FILE FORMATS")), "")
    return fmt in formats.split()


def decode(path: Path, fmt: str) -> Decoded:
    if fmt not in DECODERS:
        raise DecodeError(f"{fmt!r} samples are not supported")
    first_error: DecodeError | None = None
    for tool in DECODERS[fmt]:
        if tool != "python" and (shutil.which(tool) is None or (tool == "sox" and not _sox_reads(fmt))):
            continue
        try:
            return _read_wav(path) if tool == "python" else _run_tool(tool, path, fmt)
        except DecodeError as error:
            first_error = first_error or error
    if first_error is not None:
        raise first_error
    needs = " or ".join(DECODERS[fmt])
    raise DecodeError(f"decoding {fmt.upper()} needs {needs}, and neither is installed (try: brew install ffmpeg)")


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    """16-bit mono WAV, written atomically."""

    def write(f) -> None:
        with wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(to_s16le(audio))

    write_atomically(path, write)


def normalize(decoded: Decoded, rate: int) -> np.ndarray:
    return resample(decoded.audio, decoded.rate, rate).astype(np.float32)
