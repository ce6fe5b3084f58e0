"""The bare engine, as a person would run it: pocketsphinx's default en-us model, a new decoder per
clip, each clip decoded whole. Prints one JSON list of transcripts, in the order of the arguments.

    /usr/bin/python3 bare_pocketsphinx.py clip.wav ...   (16 kHz mono 16-bit WAV)
"""

import json
import os
import sys
import wave

import pocketsphinx
from pocketsphinx import Decoder


def decode(path: str) -> str:
    model = pocketsphinx.get_model_path()
    config = Decoder.default_config()
    config.set_string("-hmm", os.path.join(model, "en-us"))
    config.set_string("-dict", os.path.join(model, "cmudict-en-us.dict"))
    config.set_string("-lm", os.path.join(model, "en-us.lm.bin"))
    config.set_string("-logfn", os.devnull)
    decoder = Decoder(config)
    with wave.open(path, "rb") as w:
        pcm = w.readframes(w.getnframes())
    decoder.start_utt()
    decoder.process_raw(pcm, False, True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


print(json.dumps([decode(p) for p in sys.argv[1:]]))
