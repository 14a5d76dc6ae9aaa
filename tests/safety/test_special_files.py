"""Only regular files are read: a FIFO, a device or a folder is refused before a byte is read
(run in a child process with a time limit, so that a reader that blocks fails the test)."""
import os

import pytest

from tests.safety.conftest import run_limited


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"),
                    reason="needs POSIX FIFOs and /dev/zero")
def test_fifos_devices_and_folders_are_refused_by_every_reader(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    result = run_limited(f"""
        import sinir
        from sinir import checkpoint, cli
        from sinir.datasets import read_idx
        from sinir.images import read_image
        readers = {{"idx": read_idx, "image": read_image, "checkpoint": checkpoint.load, "sinir.load": sinir.load}}
        for target in ({str(tmp_path / 'fifo')!r}, "/dev/zero", {str(tmp_path)!r}):
            for name, read in readers.items():
                try:
                    read(target)
                    print(name, target, "READ")
                except ValueError as error:
                    print(name, type(error).__name__, error)
        print("cli", cli.main(["predict", {str(tmp_path / 'fifo')!r}, "/dev/zero"]))
    """, seconds=30)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 13 and lines[-1] == "cli 2", result.stdout
    for line in lines[:4]:
        assert "fifo: is a FIFO, not a regular" in line
    for line in lines[4:8]:
        assert "/dev/zero: is a device, not a regular" in line
    for line in lines[8:12]:
        assert "is a folder, not a" in line
    assert {line.split()[1] for line in lines[:12]} == {"DatasetError", "ImageError", "CheckpointError", "LoadError"}
