"""The SQLite writer queue: held for the transaction, let go before its commit hooks."""

import threading

import pytest
from django.db import connection, transaction

from config import dbwrites
from tests.threads import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the writer queue exists only for SQLite")


def test_the_lock_is_free_when_later_commit_hooks_run(sqlite_only):
    seen = []
    with dbwrites.serialized_atomic():
        assert dbwrites._sqlite_writer.locked()
        transaction.on_commit(lambda: seen.append(dbwrites._sqlite_writer.locked()))
    assert seen == [False]
    assert not dbwrites._sqlite_writer.locked()


def test_the_lock_is_let_go_when_the_transaction_rolls_back(sqlite_only):
    with pytest.raises(RuntimeError):
        with dbwrites.serialized_atomic():
            raise RuntimeError("the write failed")
    assert not dbwrites._sqlite_writer.locked()
    with dbwrites.serialized_atomic():  # and the next writer gets in
        assert dbwrites._sqlite_writer.locked()


def test_writers_take_turns(sqlite_only):
    inside, most = [0], [0]
    guard = threading.Lock()

    def write():
        with dbwrites.serialized_atomic():
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            threading.Event().wait(0.01)
            with guard:
                inside[0] -= 1

    in_threads(write, 5)
    assert most[0] == 1
