"""Read a tf.data pipeline back through a tf.data service, the native tier's proof of distribution.

A pipeline the tf.data service (or a TPU host) can run must not call back into Python: the
callbacks of ``from_generator``, ``py_function`` and ``numpy_function`` live in the process that
built the dataset. An in-process worker shares that process, so it runs such pipelines anyway;
``worker_process=True`` puts the worker in a child process, where they fail as on a real host.

TensorFlow is imported inside the functions so that importing ``converter`` stays cheap. Clients
reach the servers at ``localhost`` only (TensorFlow's gRPC servers still listen on every
interface; no setting changes that).
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import sys
import threading
import time
from typing import Any

# Ops that call back into the Python interpreter of the process that built the dataset.
PYTHON_OPS = ("GeneratorDataset", "PyFunc", "PyFuncStateless", "EagerPyFunc")
CHILD_WORKER = """
import sys
import tensorflow as tf
service = tf.data.experimental.service
worker = service.WorkerServer(service.WorkerConfig(dispatcher_address=sys.argv[1], port=0))
print("ready", flush=True)
worker.join()
"""
REGISTRATION_POLL_S = 0.05


class ServiceTimeout(TimeoutError):
    """The service did not deliver every epoch within the time allowed."""


def run_through_service(
    dataset: Any, *, epochs: int = 1, timeout_s: float = 60.0, worker_process: bool = False
) -> list[list[Any]]:
    """Every element of ``epochs`` passes over ``dataset``, as numpy structures, read through a tf.data service.

    A dispatcher and one worker are started for this call on loopback and stopped before it returns,
    whatever happens; each epoch is a fresh anonymous job with sharding off, so it yields the whole
    dataset in order. Errors from the pipeline are re-raised as TensorFlow raised them.
    """
    import tensorflow as tf

    if dataset.cardinality() == tf.data.INFINITE_CARDINALITY:
        raise ValueError("an infinite dataset has no epoch to read")
    deadline = time.monotonic() + timeout_s
    service = tf.data.experimental.service
    dispatcher = service.DispatchServer(service.DispatcherConfig(port=0))
    worker = None
    try:
        address = dispatcher.target.split("://")[1]
        if worker_process:
            worker = _ChildWorker(address, deadline)
        else:
            worker = service.WorkerServer(service.WorkerConfig(dispatcher_address=address, port=0))
        _await_registration(dispatcher, deadline)
        distributed = dataset.apply(
            service.distribute(
                processing_mode=service.ShardingPolicy.OFF, service=dispatcher.target, job_name=None
            )
        )
        return _read_epochs(distributed, epochs, deadline)
    finally:
        if worker is not None:
            _stop(worker)
        _stop(dispatcher)


def is_service_compatible(dataset: Any) -> tuple[bool, str]:
    """Best effort: ``(False, op)`` when the dataset's graph calls back into Python, else ``(True, "")``.

    The serialized graph includes the functions of ``map``, ``flat_map`` and the like, so a
    ``py_function`` nested in any of them is found too.
    """
    import tensorflow as tf

    # IGNORE serializes stateful Python ops instead of refusing them, so that they can be named.
    serialized = tf.raw_ops.DatasetToGraphV2(
        input_dataset=dataset._variant_tensor,  # noqa: SLF001 - the public API has no graph accessor
        external_state_policy=tf.data.experimental.ExternalStatePolicy.IGNORE.value,
        strip_device_assignment=True,
    )
    graph = tf.compat.v1.GraphDef.FromString(serialized.numpy())
    ops = {node.op for node in graph.node}
    ops |= {node.op for function in graph.library.function for node in function.node_def}
    offending = next((op for op in PYTHON_OPS if op in ops), None)
    return (False, offending) if offending else (True, "")


def _read_epochs(dataset: Any, epochs: int, deadline: float) -> list[list[Any]]:
    outcome: dict[str, Any] = {}

    def read() -> None:
        try:
            outcome["epochs"] = [list(dataset.as_numpy_iterator()) for _ in range(epochs)]
        except BaseException as error:  # noqa: BLE001 - handed over to the calling thread
            outcome["error"] = error

    # A blocked read cannot be cancelled, so it runs in a daemon thread the caller can give up on;
    # an abandoned one does not keep the process from exiting.
    reader = threading.Thread(target=read, name="tf.data service reader", daemon=True)
    reader.start()
    reader.join(max(0.0, deadline - time.monotonic()))
    if reader.is_alive():
        raise ServiceTimeout(f"the tf.data service did not deliver {epochs} epoch(s) in time")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["epochs"]


def _await_registration(dispatcher: Any, deadline: float) -> None:
    count = getattr(dispatcher, "_num_workers", None)
    while count is not None and count() < 1:
        if time.monotonic() > deadline:
            raise ServiceTimeout("no tf.data service worker registered in time")
        time.sleep(REGISTRATION_POLL_S)


def _stop(server: Any) -> None:
    stop = getattr(server, "stop", None) or getattr(server, "_stop")
    # Failing to stop must not hide the run's own outcome; the server also stops when collected.
    with contextlib.suppress(Exception):
        stop()


class _ChildWorker:
    """A tf.data service worker in a child process of this one, stopped by killing that process."""

    def __init__(self, dispatcher_address: str, deadline: float) -> None:
        environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD_WORKER, dispatcher_address],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment, text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready or self.process.stdout.readline().strip() != "ready":  # type: ignore[union-attr]
            self.stop()
            raise ServiceTimeout("the tf.data service worker process did not start in time, or died")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()  # type: ignore[union-attr]
