"""What the writer costs does not grow over a server's life: a bounded set of statement
texts whatever the batch lengths, and the same work for a batch on a large table as on an
empty one (bench/monitoring_trace.py shows the same per request, over a long run)."""

import pytest
from django.db import connection

from core.usage import usage_record
from monitoring import recording
from monitoring.models import UsageEvent

pytestmark = pytest.mark.django_db


def searches(count: int) -> None:
    for number in range(count):
        usage_record(kind="search", query=f"cash transfers {number % 7}", results=number)


def test_the_writer_runs_a_bounded_set_of_statements_whatever_the_batch_lengths():
    """SQLite keeps up to 128 compiled statements per connection, a 200-row INSERT's
    some 400 KB: one text per batch length filled the cache of every pooled connection
    with them, and a server's memory grew all through a run."""
    texts: set[str] = set()

    def seen(execute, sql, params, many, context):
        texts.add(sql)
        return execute(sql, params, many, context)

    lengths = range(1, 260)
    with connection.execute_wrapper(seen):
        for length in lengths:
            searches(length)
            assert recording.flush() == length
    assert UsageEvent.objects.count() == sum(lengths)
    inserts = [text for text in texts if text.startswith("INSERT")]
    assert len(inserts) == 9  # 1, 2, 4 ... 256 rows


def steps_of_a_batch(size: int) -> tuple[list[str], int]:
    """The statements a batch of `size` runs, and SQLite's virtual-machine steps for it."""
    statements: list[str] = []

    def seen(execute, sql, params, many, context):
        if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):  # the test's transaction
            statements.append(sql)
        return execute(sql, params, many, context)

    searches(size)
    connection.ensure_connection()
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    connection.connection.set_progress_handler(step, 10)
    try:
        with connection.execute_wrapper(seen):
            assert recording.flush() == size
    finally:
        connection.connection.set_progress_handler(None, 10)
    return statements, steps[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's own steps")
def test_a_batch_takes_the_same_work_on_a_large_table_as_on_an_empty_one():
    """No statement of the writer reads what is already stored (no de-duplication, no
    look-up of earlier visitors): its work is the batch's, not the table's."""
    on_empty, empty_steps = steps_of_a_batch(200)
    searches(30_000)
    recording.flush()
    on_large, large_steps = steps_of_a_batch(200)
    assert on_large == on_empty
    assert len(on_large) == 3  # 128 + 64 + 8 rows
    assert large_steps < empty_steps * 1.1  # a B-tree a level deeper, no more
