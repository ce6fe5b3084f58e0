import os
import tempfile
import threading
import unittest

import grpc

from nobody_common.server import EngineInfo, make_server


class ServerTest(unittest.TestCase):
    def test_calls_past_the_limit_are_refused_at_once_never_queued(self):
        # Each stream holds a server thread until it ends; a call past the limit must not wait
        # unseen behind them (a turn stuck in "processing"): it gets RESOURCE_EXHAUSTED.
        release = threading.Event()
        entered = threading.Semaphore(0)

        def hold(request_iterator, context):
            entered.release()
            release.wait(10)
            yield b"done"

        handler = grpc.method_handlers_generic_handler(
            "test.Hold", {"Hold": grpc.stream_stream_rpc_method_handler(hold)}
        )
        path = os.path.join(tempfile.mkdtemp(), "w.sock")
        server = make_server(
            "stt", path, EngineInfo("e", "e", 16000), lambda s: s.add_generic_rpc_handlers((handler,)),
            max_concurrent_rpcs=2,
        )
        server.start()
        try:
            channel = grpc.insecure_channel(f"unix:{path}")
            call = channel.stream_stream("/test.Hold/Hold")
            held = [call(iter([b"x"])) for _ in range(2)]
            for _ in held:
                self.assertTrue(entered.acquire(timeout=10), "both calls reach the handler")
            with self.assertRaises(grpc.RpcError) as refused:
                list(call(iter([b"x"]), timeout=10))
            self.assertEqual(refused.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            release.set()
            self.assertEqual([list(h) for h in held], [[b"done"], [b"done"]])
            channel.close()
        finally:
            release.set()
            server.stop(0)


if __name__ == "__main__":
    unittest.main()
