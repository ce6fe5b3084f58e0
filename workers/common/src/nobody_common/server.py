"""Worker process bootstrap: a grpcio server on a Unix socket, health, and an exit policy.

A worker prints one JSON line {"event": "ready", ...} on stdout once it serves. It exits at once
(os._exit, no graceful GOAWAY, which can crash Deno's HTTP/2 client) on SIGTERM or SIGINT, and
when its stdin reaches end of file: the core holds the other end, so a core that dies, even by
kill -9, takes its workers with it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from concurrent import futures
from dataclasses import dataclass, field
from typing import Callable

import grpc

from nobody.v1 import health_pb2, health_pb2_grpc
from nobody_common import log
from nobody_common.engines import EngineUnavailable

# Large enough for a few seconds of float32 audio in one message.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
MAX_THREADS = 64
MAX_CONCURRENT_RPCS = 60


@dataclass
class EngineInfo:
    name: str
    detail: str
    sample_rate: int
    fallbacks: list[str] = field(default_factory=list)


class HealthService(health_pb2_grpc.HealthServicer):
    def __init__(self, worker: str, engine: EngineInfo):
        self.worker = worker
        self.engine = engine

    def Check(self, request, context):
        return health_pb2.HealthCheckResponse(
            status=health_pb2.HealthCheckResponse.STATUS_SERVING,
            worker=self.worker,
            engine=self.engine.name,
            engine_detail=self.engine.detail,
            fallbacks=self.engine.fallbacks,
            pid=os.getpid(),
            sample_rate=self.engine.sample_rate,
        )


def base_arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--socket", required=True, help="Unix socket path to listen on")
    parser.add_argument("--engine", default="auto", help="engine name, or auto for the best installed")
    return parser


def _exit_now(*_args: object) -> None:
    os._exit(0)


def _watch_stdin() -> None:
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        _exit_now()


def make_server(
    worker: str,
    socket_path: str,
    engine: EngineInfo,
    register: Callable[[grpc.Server], None],
    max_concurrent_rpcs: int = MAX_CONCURRENT_RPCS,
) -> grpc.Server:
    """The worker's gRPC server on its Unix socket, not started yet."""
    try:
        os.unlink(socket_path)
    except FileNotFoundError:
        pass
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix=worker),
        # A stream holds a thread for its whole life: past the threads, a call would wait unseen
        # in grpcio's queue (a turn stuck in "processing"); it is refused at once instead.
        maximum_concurrent_rpcs=max_concurrent_rpcs,
        options=[
            ("grpc.so_reuseport", 0),
            # Never answer a client's keepalive pings with GOAWAY ENHANCE_YOUR_CALM: a GOAWAY can
            # crash Deno's HTTP/2 client, and a ping from our own core is never abuse.
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.min_ping_interval_without_data_ms", 1000),
            ("grpc.http2.max_ping_strikes", 0),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
        ],
    )
    health_pb2_grpc.add_HealthServicer_to_server(HealthService(worker, engine), server)
    register(server)
    server.add_insecure_port(f"unix:{socket_path}")
    return server


def serve(worker: str, socket_path: str, engine: EngineInfo, register: Callable[[grpc.Server], None]) -> None:
    # Lead a process group, so the core's stop reaches engine subprocesses (espeak-ng) as well.
    try:
        os.setpgid(0, 0)
    except OSError:
        pass  # already a group leader (or not allowed): the stdin watch still ends us
    signal.signal(signal.SIGTERM, _exit_now)
    signal.signal(signal.SIGINT, _exit_now)
    threading.Thread(target=_watch_stdin, name="stdin-watch", daemon=True).start()
    server = make_server(worker, socket_path, engine, register)
    server.start()
    os.chmod(socket_path, 0o600)
    log.info("serving", worker=worker, engine=engine.name, detail=engine.detail, socket=socket_path)
    print(json.dumps({"event": "ready", "worker": worker, "engine": engine.name, "pid": os.getpid()}), flush=True)
    # Not server.wait_for_termination(): it wakes every 100 ms to let signal handlers run. The
    # main thread sleeps in pause() instead, which a signal (SIGTERM, SIGINT: _exit_now) ends.
    while True:
        signal.pause()


def run_worker(worker: str, description: str, choose, register, arguments=None) -> None:
    """Parses the common arguments (plus `arguments(parser)`), picks the engine, and serves;
    exits with code 3 and a log line when no engine can run."""
    parser = base_arguments(description)
    if arguments:
        arguments(parser)
    args = parser.parse_args()
    try:
        engine, fallbacks = choose(args.engine)
    except EngineUnavailable as error:
        log.error("cannot start", reason=str(error))
        sys.exit(3)
    # Trainers have no sample rate of their own; they read any and measure at 16 kHz.
    info = EngineInfo(
        engine.name, getattr(engine, "detail", engine.name), getattr(engine, "sample_rate", 16000), fallbacks
    )
    serve(worker, args.socket, info, lambda server: register(server, engine, args))
