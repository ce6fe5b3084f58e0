"""espeak-ng voices with a fitted pitch range: a private data folder that links the system's data
and adds variant files, shared by the trainer (which fits them) and the TTS worker (which speaks).

espeak-ng's `-p` moves only the base pitch; the range a voice moves through (its intonation) is
set by a variant file's `pitch <base> <top>` line, and espeak-ng reads variants only from its data
folder (an absolute path after `+` is silently ignored). So each process gets its own folder with
symlinks to the system's files, and variants named by what they hold.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

# espeak-ng's own defaults (voices.md): base 82 Hz, top 118 Hz.
DEFAULT_PITCH = (82, 118)
PITCH_LIMITS = (20, 400)


@dataclass(frozen=True)
class Intonation:
    """A variant: espeak-ng's base and top pitch (Hz), on top of one of its variants (or none)."""

    base: int
    top: int
    like: str = ""  # a system variant whose other settings (formants, breath) are kept, e.g. "f3"

    def clamped(self) -> "Intonation":
        base = int(min(max(self.base, PITCH_LIMITS[0]), PITCH_LIMITS[1]))
        top = int(min(max(self.top, base), PITCH_LIMITS[1] + 200))
        like = self.like if re.fullmatch(r"[A-Za-z0-9_-]{0,40}", self.like) else ""
        return Intonation(base, top, like)


def system_data(binary: str) -> Path:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=5).stdout
    match = re.search(r"Data at:\s*(.+)$", out.strip())
    if not match or not Path(match.group(1)).is_dir():
        raise RuntimeError(f"espeak-ng does not say where its data is: {out.strip()!r}")
    return Path(match.group(1))


class VariantFolder:
    def __init__(self, binary: str) -> None:
        self.system = system_data(binary)
        self.root = Path(tempfile.mkdtemp(prefix="nobody-espeak-"))
        atexit.register(shutil.rmtree, self.root, True)
        data = self.root / "espeak-ng-data"
        (data / "voices" / "!v").mkdir(parents=True)
        for entry in self.system.iterdir():
            if entry.name != "voices":
                (data / entry.name).symlink_to(entry)
        for entry in (self.system / "voices").iterdir():
            if entry.name != "!v":
                (data / "voices" / entry.name).symlink_to(entry)
        self.variants = data / "voices" / "!v"
        self._lock = threading.Lock()

    def name(self, intonation: Intonation) -> str:
        """The `+variant` suffix for espeak-ng's -v; the file is written the first time."""
        v = intonation.clamped()
        lines = [f"name nobody {v.base}-{v.top}", "language variant"]
        if v.like:
            source = self.system / "voices" / "!v" / v.like
            if source.is_file():
                lines += [
                    line for line in source.read_text(errors="replace").splitlines()
                    if not re.match(r"\s*(name|language|pitch)\b", line)
                ]
        lines.append(f"pitch {v.base} {v.top}")
        text = "\n".join(lines) + "\n"
        name = "nobody-" + hashlib.sha1(text.encode()).hexdigest()[:12]
        path = self.variants / name
        with self._lock:
            if not path.exists():
                partial = path.with_suffix(".partial")
                partial.write_text(text)
                os.replace(partial, path)
        return name

    def args(self, language: str, intonation: Intonation | None) -> list[str]:
        """espeak-ng arguments that select the language voice with this intonation."""
        if intonation is None:
            return ["-v", language]
        return ["--path", str(self.root), "-v", f"{language}+{self.name(intonation)}"]
