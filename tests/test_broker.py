"""The embedded broker (Celery's filesystem transport, museumcm/broker.py): a message is read only once it is whole.

kombu 5.7's transport wrote a message file in place while consumers listed the same folder: a worker could take a
file another process was still writing and die on `JSONDecodeError`. Here producer and consumer processes hammer one
folder; every message must arrive once, whole.
"""

import multiprocessing
import queue as queue_module
import uuid
from pathlib import Path

import pytest
from kombu import Connection

import museumcm.broker  # noqa: F401  (registers the safe transport under "filesystem://")

PRODUCERS = CONSUMERS = 3
PER_PRODUCER = 150
PAYLOAD = "x" * 256 * 1024  # big enough that writing a message takes a while


def _queue_name() -> str:
    """kombu keeps declared bindings in process-wide state: each test uses its own queue."""
    return f"q{uuid.uuid4().hex[:8]}"


def _connection(folder: Path) -> Connection:
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
    }
    return Connection("filesystem://", transport_options=options)


def _produce(folder: Path, name: str, number: int) -> None:
    with _connection(folder) as connection:
        queue = connection.SimpleQueue(name)
        for n in range(PER_PRODUCER):
            queue.put({"id": f"{number}-{n}", "payload": PAYLOAD})


def _consume(folder: Path, name: str, received, stop) -> None:
    with _connection(folder) as connection:
        queue = connection.SimpleQueue(name)
        while not stop.is_set():
            try:
                message = queue.get(block=True, timeout=0.05)
            except queue.Empty:
                continue
            except Exception as error:  # what killed the worker: reported, and this consumer goes on
                received.put(("error", repr(error)))
                continue
            body = message.payload
            message.ack()
            received.put(("ok", body["id"] if body.get("payload") == PAYLOAD else f"truncated {body.get('id')}"))


def _folders(tmp_path: Path) -> Path:
    for name in ("queue", "control", "processed"):
        (tmp_path / name).mkdir()
    return tmp_path


def test_concurrent_producers_and_consumers_deliver_every_message_once_and_whole(tmp_path):
    folder, name = _folders(tmp_path), _queue_name()
    context = multiprocessing.get_context("fork")
    received, stop = context.Queue(), context.Event()
    with _connection(folder) as connection:
        connection.SimpleQueue(name).close()  # declared once, before the crowd
    consumers = [context.Process(target=_consume, args=(folder, name, received, stop)) for _ in range(CONSUMERS)]
    producers = [context.Process(target=_produce, args=(folder, name, n)) for n in range(PRODUCERS)]
    for process in consumers + producers:
        process.start()

    outcomes = []
    try:
        while len([o for o in outcomes if o[0] == "ok"]) < PRODUCERS * PER_PRODUCER:
            outcomes.append(received.get(timeout=60))  # a guard against a hang, not a measure of speed
    except queue_module.Empty:
        pass
    finally:
        stop.set()
        for process in consumers + producers:
            process.join(timeout=30)

    assert [o for o in outcomes if o[0] == "error"] == []
    delivered = sorted(o[1] for o in outcomes if o[0] == "ok")
    expected = sorted(f"{p}-{n}" for p in range(PRODUCERS) for n in range(PER_PRODUCER))
    assert delivered == expected  # each once, none truncated
    assert list((folder / "queue").iterdir()) == []  # nothing left, hidden or not


def test_a_message_file_still_being_written_is_left_until_it_is_whole(tmp_path):
    folder, name = _folders(tmp_path), _queue_name()
    with _connection(folder) as connection:
        queue = connection.SimpleQueue(name)
        queue.put({"id": "whole"})
        (message_file,) = (folder / "queue").iterdir()
        body = message_file.read_bytes()
        message_file.unlink()
        # Another process (a writer that does not rename) has written half of its message so far.
        half = folder / "queue" / f"0_0.{name}.msg"
        half.write_bytes(body[: len(body) // 2])

        with pytest.raises(queue.Empty):
            queue.get(block=False)
        assert half.read_bytes() == body[: len(body) // 2]  # left in place, not lost

        half.write_bytes(body)
        message = queue.get(block=False)
        assert message.payload == {"id": "whole"}
        message.ack()
