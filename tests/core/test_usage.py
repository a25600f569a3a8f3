from core import usage


def test_reported_events_reach_every_registered_sink_once(monkeypatch):
    monkeypatch.setattr(usage, "_sinks", [])
    seen = []

    def sink(*, kind, request, **attrs):
        seen.append((kind, request, attrs))

    usage.usage_sink_register(sink)
    usage.usage_sink_register(sink)
    usage.usage_record(kind="search", query="cash transfer", results=0)
    assert seen == [("search", None, {"query": "cash transfer", "results": 0})]


def test_a_failing_sink_does_not_break_the_caller(monkeypatch):
    monkeypatch.setattr(usage, "_sinks", [])

    def broken(**kwargs):
        raise RuntimeError("disk full")

    usage.usage_sink_register(broken)
    usage.usage_record(kind="download", item=1)  # no exception
