"""``sinir train`` in one rank, as ``python -m sinir`` runs it, but able to die in the middle of an epoch.

    mpiexec -n 2 python dist_cli_worker.py --kill-at 2 3 train --distributed ...

kills rank 0 (the one that writes checkpoints) with SIGKILL after step 3 of epoch 2, as a node
failure or the batch system's time limit would: no Python clean-up runs, the launcher ends the
other ranks. ``--nan-at N`` makes rank 1's N-th training loss NaN (its data alone went wrong).
Without these it is exactly ``sinir`` (sinir.cli.main).
"""
import os
import signal
import sys

from sinir import cli, experiment, nn
from sinir.grad_mode import is_grad_enabled
from sinir.callbacks import Callback


class KillRankZero(Callback):
    """SIGKILL this process after batch ``step`` of ``epoch`` if it is rank 0."""

    def __init__(self, epoch, step):
        self.epoch, self.step = epoch, step

    def on_batch_end(self, step, loss, logs=None):
        import sinir.distributed as dist
        if self.trainer.epoch == self.epoch and step == self.step and dist.get_rank() == 0:
            sys.stderr.write(f"killing rank 0 in epoch {self.epoch}\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGKILL)


class NaNOnRankOne(nn.CrossEntropyLoss):
    """Cross-entropy, except that rank 1's ``at``-th training loss is NaN."""

    at = None

    def forward(self, output, target):
        import sinir.distributed as dist
        loss = super().forward(output, target)
        if is_grad_enabled():
            self.calls = getattr(self, "calls", 0) + 1
            if dist.get_rank() == 1 and self.calls == self.at:
                return loss * float("nan")
        return loss


def main(argv):
    if argv[:1] == ["--nan-at"]:
        NaNOnRankOne.at, argv = int(argv[1]), argv[2:]
        experiment.nn = type("PatchedNN", (), {"CrossEntropyLoss": NaNOnRankOne})
    if argv[:1] == ["--kill-at"]:
        killer = KillRankZero(int(argv[1]), int(argv[2]))
        argv = argv[3:]
        run = experiment.run

        def run_and_die(*args, **kwargs):
            return run(*args, **{**kwargs, "callbacks": [*kwargs.get("callbacks", ()), killer]})

        experiment.run = run_and_die
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
