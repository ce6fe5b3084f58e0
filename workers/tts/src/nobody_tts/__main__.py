"""python -m nobody_tts --socket PATH --voices-dir DIR [--engine auto|pocket|espeak]"""

from pathlib import Path

from nobody.v1 import tts_pb2_grpc
from nobody_common.server import run_worker
from nobody_tts.engines import choose
from nobody_tts.service import TextToSpeechService

if __name__ == "__main__":
    run_worker(
        "tts",
        "nobody text-to-speech worker",
        choose,
        lambda server, engine, args: tts_pb2_grpc.add_TextToSpeechServicer_to_server(
            TextToSpeechService(engine, Path(args.voices_dir)), server
        ),
        arguments=lambda parser: parser.add_argument(
            "--voices-dir", required=True, help="folder of trained voices, one folder per voice id"
        ),
    )
