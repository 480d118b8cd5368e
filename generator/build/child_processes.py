"""Work done in a second process while the first one goes on: MkDocs lays out pages on one core, and the
machines this runs on have at least two.

The child is forked, so it starts with everything the parent has built (the model, the photos, the
templates) and nothing has to be pickled on the way in; only results come back, through a pipe. Where
the operating system cannot fork (Windows), the same objects do the work in-process when it is asked
for, so callers never need two code paths.

A child dies with its parent (a killed build must not leave a process writing into a folder that the
next build cleans up), and a failure in the child reaches the parent as a `BackgroundError` carrying the
child's own message.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from typing import Any, Callable, Hashable, Iterable

_BATCH = 32  # results per message: fewer round trips through the pipe, little waiting for the first


class BackgroundError(Exception):
    """The work failed in the child process; the message is the child's."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.text = f"{type(error).__name__}: {error}" if not isinstance(error, BackgroundError) else str(error)


class Prefetch:
    """`function(key)` for each key, computed in child processes in the given order, ahead of the parent
    asking for them with `get(key)`. Ask in about the same order and the parent never waits; a child is
    never more than a couple of batches ahead (the pipe holds it back), so results do not pile up in
    memory. The keys are dealt to the children batch by batch. Needs fork (`can_fork()`)."""

    def __init__(self, function: Callable[[Any], Any], keys: Iterable[Hashable], *, children: int = 2) -> None:
        keys = list(keys)
        batches = [keys[start:start + _BATCH] for start in range(0, len(keys), _BATCH)]
        self._child_of = {key: index % children for index, batch in enumerate(batches) for key in batch}
        self._ready: dict[Hashable, Any] = {}
        self._children = []
        context = multiprocessing.get_context("fork")
        for child in range(children):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_prefetch, args=(function, batches[child::children], send), daemon=True)
            _start(process)
            send.close()
            self._children.append((process, receive))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._child_of

    def get(self, key: Hashable) -> Any:
        """The result for `key` (once: it is not kept after being handed over)."""
        process, receive = self._children[self._child_of.pop(key)]
        while key not in self._ready:
            try:
                message = receive.recv()
            except EOFError:
                process.join(timeout=5)
                raise BackgroundError(f"tiến trình phụ dừng bất ngờ (mã {process.exitcode})") from None
            if isinstance(message, _Failure):
                raise BackgroundError(message.text)
            self._ready.update(message)
        return self._ready.pop(key)

    def stop(self) -> None:
        for process, _ in self._children:
            _stop(process)
        self._children = []


class Task:
    """`function()` run in a child process at lower priority (so that it takes the idle core, not the
    parent's); `wait()` returns once it is done, or raises its failure. Without fork (or with
    `in_child=False`) the function runs in `wait()` instead."""

    def __init__(self, function: Callable[[], None], *, in_child: bool = True) -> None:
        self._function = function
        self._process = None
        self._inline = not (in_child and can_fork())
        if not self._inline:
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_task, args=(function, send), daemon=True)
            _start(self._process)
            send.close()

    def wait(self) -> None:
        if self._inline:
            self._function()
            return
        if self._process is None:
            raise BackgroundError("tiến trình phụ đã bị dừng")
        try:
            message = self._receive.recv()
        except EOFError:
            message = None
        self._process.join()
        if isinstance(message, _Failure):
            raise BackgroundError(message.text)
        if message != "done":
            raise BackgroundError(f"tiến trình phụ dừng bất ngờ (mã {self._process.exitcode})")

    def stop(self) -> None:
        _stop(self._process)
        self._process = None


def _prefetch(function: Callable[[Any], Any], batches: list[list[Hashable]], send) -> None:
    _die_with_parent()
    try:
        for batch in batches:
            send.send({key: function(key) for key in batch})
    except BrokenPipeError:  # the parent stopped listening (its build failed): nothing to report
        pass
    except BaseException as error:
        send.send(_Failure(error))
    finally:
        send.close()


def _task(function: Callable[[], None], send) -> None:
    _die_with_parent()
    os.nice(5)
    try:
        function()
        send.send("done")
    except BrokenPipeError:
        pass
    except BaseException as error:
        send.send(_Failure(error))
    finally:
        send.close()


def _start(process) -> None:
    # The child shares the parent's memory until either writes to it. Frozen objects are left out of the
    # child's full garbage collections, which would otherwise write to (and so copy) every object of the
    # model; what the child reads still gets copied as reference counts change.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _stop(process) -> None:
    if process is not None and process.is_alive():
        process.kill()
    if process is not None:
        process.join()
