"""Review mutant: the workers' write_atomically writing directly into the target. A writer killed
mid-write must leave the old file whole (and at most a .partial temp, which the core sweeps)."""

import os
import signal
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

WRITER = """
import sys, time
from pathlib import Path
from nobody_common.files import write_atomically

def write(f):
    f.write(b"new" * 10000)
    f.flush()
    print("half", flush=True)
    time.sleep(60)  # killed here
    f.write(b"rest")

write_atomically(Path(sys.argv[1]), write)
"""


class WriteAtomicallyTest(unittest.TestCase):
    def test_a_writer_killed_mid_write_leaves_the_old_file_whole(self):
        with tempfile.TemporaryDirectory() as dir:
            target = Path(dir) / "profile.json"
            target.write_bytes(b"old" * 1000)
            src = str(Path(__file__).resolve().parents[1] / "src")
            child = subprocess.Popen(
                [sys.executable, "-c", WRITER, str(target)],
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": src},
            )
            try:
                self.assertEqual(child.stdout.readline().strip(), b"half")
                os.kill(child.pid, signal.SIGKILL)
                child.wait(timeout=10)
            finally:
                child.stdout.close()
                if child.poll() is None:
                    child.kill()
            self.assertEqual(target.read_bytes(), b"old" * 1000)
            others = [p.name for p in Path(dir).iterdir() if p != target]
            self.assertTrue(all(name.endswith(".partial") for name in others), others)


if __name__ == "__main__":
    unittest.main()
