"""The embedded SQLite backend hands a closed connection to the next request."""

import os

import pytest
from django.db import connection

from config.sqlite import base

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the embedded backend is SQLite's")


def test_the_next_request_gets_the_connection_the_last_one_closed():
    connection.ensure_connection()
    first = connection.connection
    connection.close()
    connection.ensure_connection()
    assert connection.connection is first
    with connection.cursor() as cursor:  # and it works: Django set it up as usual
        cursor.execute("SELECT COUNT(*) FROM members_member")
        assert cursor.fetchone()[0] == 0


def test_a_connection_left_in_a_transaction_is_closed_not_reused():
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN")
    connection.close()
    connection.ensure_connection()
    assert connection.connection is not raw
    assert not connection.connection.in_transaction


def test_a_connection_closed_inside_atomic_stays_with_its_wrapper():
    from django.db import transaction

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            raw = connection.connection
            raw.rollback()  # SQLite gave up the transaction by itself (I/O error, interrupt)
            connection.close()
            assert connection.connection is raw  # Django keeps it until atomic() ends
            raise RuntimeError("the request failed")
    connection.ensure_connection()
    assert connection.connection is not raw  # it was closed, not handed on


def test_a_connection_from_another_process_is_never_pooled():
    connection.ensure_connection()
    raw = connection.connection
    connection.opened_in = -1  # as a forked child sees the connection it inherited
    connection.close()
    connection.ensure_connection()
    assert connection.connection is not raw


def test_a_forked_child_starts_without_the_parents_idle_connections():
    connection.ensure_connection()
    connection.close()  # now idle in this process
    assert base._idle
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through its exit code
        os._exit(0 if not base._idle else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert base._idle  # the parent keeps its own


def test_an_in_memory_database_is_never_shared():
    memory = base.DatabaseWrapper({**connection.settings_dict, "NAME": ":memory:"}, alias="mem")
    assert not memory._reusable()
