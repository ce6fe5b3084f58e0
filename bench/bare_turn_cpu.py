"""The CPU one turn costs the bare engines, as the bound of bench/sessions.ts: pocketsphinx decoding
the turn's audio whole with the session's phrase list (as the STT worker's whole pass does), and
espeak-ng speaking the reply's first sentence (a process per sentence, as the TTS worker runs it).
Prints {"stt_cpu_ms": ..., "tts_cpu_ms": ...}, each the median of `rounds` runs.

    /usr/bin/python3 bare_turn_cpu.py audio.f32 '["phrase", ...]' "First sentence." rounds
(audio.f32: 16 kHz mono float32 little-endian)
"""

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import pocketsphinx
from pocketsphinx import Decoder


def stt_cpu_ms(pcm: bytes, phrases: list[str], rounds: int) -> float:
    model = pocketsphinx.get_model_path()
    config = Decoder.default_config()
    config.set_string("-hmm", os.path.join(model, "en-us"))
    config.set_string("-dict", os.path.join(model, "cmudict-en-us.dict"))
    config.set_string("-logfn", os.devnull)
    decoder = Decoder(config)
    words = [" ".join(re.findall(r"[a-z']+", p.lower())) for p in phrases]
    decoder.set_jsgf_string("p", "#JSGF V1.0;\ngrammar p;\npublic <s> = " + " | ".join(words) + ";\n")
    decoder.set_search("p")
    times = []
    for _ in range(rounds):
        start = time.process_time()
        decoder.start_utt()
        decoder.process_raw(pcm, False, True)
        decoder.end_utt()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def tts_cpu_ms(text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(["espeak-ng", "--stdout"], input=text.encode(), capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(times)


def main() -> None:
    path, phrases, sentence, rounds = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    audio = np.fromfile(path, dtype="<f4")
    pcm = np.clip(audio * 32768.0, -32768, 32767).astype("<i2").tobytes()
    print(json.dumps({"stt_cpu_ms": stt_cpu_ms(pcm, phrases, rounds), "tts_cpu_ms": tts_cpu_ms(sentence, rounds)}))


main()
