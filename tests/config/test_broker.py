"""The embedded broker keeps a task until the worker acknowledges it (config/broker.py).

A worker killed mid-task is a connection that is never closed: here, a second
connection (the restarted worker) gets the message again once the first one's
visibility timeout has passed. The SIGKILL version, with real worker processes, is
tests/integration/test_exactly_once.py.
"""

import time
import uuid
from pathlib import Path
from queue import Empty

import pytest
from kombu import Connection


def connect(folder: Path, visibility_timeout: float = 3600) -> Connection:
    queue, unacked = folder / "queue", folder / "unacked"
    queue.mkdir(exist_ok=True)
    return Connection(
        "filesystem://",
        transport="config.broker:Transport",
        transport_options={
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "unacked_folder": str(unacked),
            "control_folder": str(folder / "control"),
            "visibility_timeout": visibility_timeout,
        },
    )


@pytest.fixture
def name() -> str:
    """kombu remembers declared exchanges per process, not per folder: a queue name
    of its own for each test."""
    return f"tasks-{uuid.uuid4().hex[:8]}"


def files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_message_taken_and_never_acknowledged_is_delivered_again(tmp_path, name):
    with connect(tmp_path) as producer:
        producer.SimpleQueue(name).put({"task": "registration_notify", "id": 7})
    killed = connect(tmp_path, visibility_timeout=0.2)
    message = killed.SimpleQueue(name).get(timeout=2)
    assert message.payload == {"task": "registration_notify", "id": 7}
    assert files(tmp_path / "queue") == [] and len(files(tmp_path / "unacked")) == 1
    # the worker dies here: no ack, no close; a restarted worker looks after the timeout
    time.sleep(0.3)
    with connect(tmp_path, visibility_timeout=0.2) as restarted:
        again = restarted.SimpleQueue(name).get(timeout=3)
        assert again.payload == message.payload
        again.ack()
    assert files(tmp_path / "queue") == [] and files(tmp_path / "unacked") == []


def test_an_acknowledged_message_is_gone_and_a_running_one_is_not_taken_twice(tmp_path, name):
    with connect(tmp_path) as producer:
        producer.SimpleQueue(name).put("one")
    with connect(tmp_path) as first, connect(tmp_path) as second:
        message = first.SimpleQueue(name).get(timeout=2)
        with pytest.raises(Empty):  # the first worker still holds it
            second.SimpleQueue(name).get(timeout=1.5)
        message.ack()
    assert files(tmp_path / "queue") == [] and files(tmp_path / "unacked") == []


def test_a_requeued_message_goes_back_once(tmp_path, name):
    with connect(tmp_path) as producer:
        producer.SimpleQueue(name).put("retry me")
    with connect(tmp_path) as worker:
        worker.SimpleQueue(name).get(timeout=2).requeue()
        assert files(tmp_path / "unacked") == []
        again = worker.SimpleQueue(name).get(timeout=2)
        assert again.payload == "retry me"
        again.ack()
    assert files(tmp_path / "queue") == [] and files(tmp_path / "unacked") == []


def test_a_message_still_being_written_is_not_taken(tmp_path, name):
    """A message is written under a hidden name and renamed into the queue once whole: a
    worker draining as fast as messages arrive never reads half a file."""
    with connect(tmp_path) as producer:
        queue = producer.SimpleQueue(name)
        (tmp_path / "queue" / f".1_{uuid.uuid4()}.{name}.msg.part").write_bytes(b'{"bo')
        with pytest.raises(Empty):
            queue.get(timeout=0.3)  # the half-written file is not a message yet
        queue.put({"task": "registration_notify", "id": 8})
        assert [f for f in files(tmp_path / "queue") if f.endswith(".msg")] != []
        assert queue.get(timeout=2).payload == {"task": "registration_notify", "id": 8}
