"""python -m nobody_tts --socket PATH --voices-dir DIR [--engine auto|pocket|espeak]"""

import sys
from pathlib import Path

from nobody.v1 import tts_pb2_grpc
from nobody_common import log
from nobody_common.server import EngineInfo, base_arguments, serve
from nobody_tts.engines import choose
from nobody_tts.engines.base import EngineUnavailable
from nobody_tts.service import TextToSpeechService


def main() -> None:
    parser = base_arguments("nobody text-to-speech worker")
    parser.add_argument("--voices-dir", required=True, help="folder of trained voices, one folder per voice id")
    args = parser.parse_args()
    try:
        engine, fallbacks = choose(args.engine)
    except EngineUnavailable as error:
        log.error("cannot start", reason=str(error))
        sys.exit(3)
    info = EngineInfo(engine.name, engine.detail, engine.sample_rate, fallbacks)
    service = TextToSpeechService(engine, Path(args.voices_dir))
    serve("tts", args.socket, info, lambda server: tts_pb2_grpc.add_TextToSpeechServicer_to_server(service, server))


if __name__ == "__main__":
    main()
