"""The SQLite writer queue: held for a transaction, let go before its commit hooks."""

import threading

import pytest
from django.db import connection, transaction

from config.sqlite.base import writer_lock
from tests.threads import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lock():
    if connection.vendor != "sqlite":
        pytest.skip("the writer queue exists only for SQLite")
    return writer_lock(str(connection.settings_dict["NAME"]))


def test_the_lock_is_free_when_later_commit_hooks_run(lock):
    seen = []
    with transaction.atomic():
        assert lock.locked()
        transaction.on_commit(lambda: seen.append(lock.locked()))
    assert seen == [False]
    assert not lock.locked()


def test_the_lock_is_let_go_when_the_transaction_rolls_back(lock):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            raise RuntimeError("the write failed")
    assert not lock.locked()
    with transaction.atomic():  # and the next writer gets in
        assert lock.locked()


def test_a_connection_closed_mid_transaction_lets_go(lock):
    transaction.set_autocommit(False)
    connection._start_transaction_under_autocommit()
    assert lock.locked()
    connection.close()
    assert not lock.locked()


def test_writers_take_turns(lock):
    inside, most = [0], [0]
    guard = threading.Lock()

    def write():
        with transaction.atomic():
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            threading.Event().wait(0.01)
            with guard:
                inside[0] -= 1

    in_threads(write, 5)
    assert most[0] == 1
