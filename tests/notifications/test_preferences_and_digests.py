"""The preference matrix decides every channel; digests go out exactly once per period."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from core import clock
from notifications.digests import digests_send
from notifications.immediate import notifications_email_pending
from notifications.models import DeliverySettings, DigestRun, Notification, OutboundEmail
from notifications.preferences import preferences_save
from notifications.services import notification_mark_read, notify
from tests.threads import in_threads

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 3, 2, 5, 0, tzinfo=UTC)  # a Tuesday: daily digests only


def set_channel(member, category, channel, **delivery):
    preferences_save(
        member=member,
        channels={category: channel},
        paused=delivery.get("paused", False),
        digest_hour=delivery.get("digest_hour", 8),
        weekly_day=delivery.get("weekly_day", 0),
    )


def mention(member, target="communities.thread:1", title="Ama mentioned you"):
    return notify(
        recipient=member,
        kind="communities.mention",
        title=title,
        target=target,
        url="/communities/x/",
    )


@pytest.mark.parametrize(
    ("channel", "stored", "emailed_at_once"),
    [
        ("in_app", True, False),
        ("immediate", True, True),
        ("daily", True, False),
        ("weekly", True, False),
        ("off", False, False),
    ],
)
def test_the_matrix_decides_each_channel(
    member_factory, mailoutbox, deliver, channel, stored, emailed_at_once
):
    member = member_factory()
    set_channel(member, "communities.mention", channel)
    with clock.travel(T0), deliver():
        mention(member)
    assert Notification.objects.exists() is stored
    with deliver():
        notifications_email_pending(recipient_id=member.pk, at=T0 + timedelta(minutes=3))
    assert bool(mailoutbox) is emailed_at_once


def test_at_once_waits_the_delay_and_skips_what_was_read(member_factory, mailoutbox):
    member = member_factory()
    with clock.travel(T0):
        first = mention(member)
    assert notifications_email_pending(recipient_id=member.pk, at=T0 + timedelta(minutes=1)) == 0
    notification_mark_read(member=member, notification_id=first.pk)
    assert notifications_email_pending(recipient_id=member.pk, at=T0 + timedelta(minutes=3)) == 0
    assert mailoutbox == []


def test_several_about_one_thread_become_one_email(member_factory, mailoutbox, deliver):
    member = member_factory()
    with clock.travel(T0):
        for index in range(3):
            mention(member, title=f"Reply {index}")
        mention(member, target="communities.thread:2", title="Elsewhere")
    with deliver():
        sent = notifications_email_pending(recipient_id=member.pk, at=T0 + timedelta(minutes=3))
        again = notifications_email_pending(recipient_id=member.pk, at=T0 + timedelta(minutes=4))
    assert (sent, again) == (2, 0)
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["Elsewhere", "Reply 0 (and 2 more)"]


def test_pause_stops_email_but_not_the_bell(member_factory, mailoutbox, deliver):
    member = member_factory()
    set_channel(member, "communities.mention", "immediate", paused=True)
    with clock.travel(T0), deliver():
        mention(member)
    notifications_email_pending(recipient_id=member.pk, at=T0 + timedelta(minutes=3))
    assert mailoutbox == []
    assert OutboundEmail.objects.get().status == "opted_out"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def digest_member(member_factory, zone="Asia/Manila", **fields):
    member = member_factory(time_zone=zone, **fields)
    set_channel(member, "communities.mention", "daily")
    return member


def test_daily_digest_at_the_members_local_hour_once(member_factory, mailoutbox, deliver):
    manila = digest_member(member_factory)  # 08:00 Manila = 00:00Z
    lima = digest_member(member_factory, zone="America/Lima")  # 08:00 Lima = 13:00Z
    with clock.travel(T0 - timedelta(hours=6)):
        mention(manila), mention(lima)
    with deliver():
        first = digests_send(at=datetime(2027, 3, 2, 0, 5, tzinfo=UTC))
        again = digests_send(at=datetime(2027, 3, 2, 0, 20, tzinfo=UTC))
        later = digests_send(at=datetime(2027, 3, 2, 13, 5, tzinfo=UTC))
    assert (first.sent, again.sent, again.already, later.sent) == (1, 0, 1, 1)
    assert [m.to for m in mailoutbox] == [[manila.email], [lima.email]]
    assert "Ama mentioned you" in mailoutbox[0].body
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_empty_digests_are_not_sent(member_factory, mailoutbox, deliver):
    digest_member(member_factory)
    with deliver():
        result = digests_send(at=datetime(2027, 3, 2, 0, 5, tzinfo=UTC))
    assert (result.sent, result.empty) == (0, 1)
    assert mailoutbox == [] and DigestRun.objects.get().status == "empty"


def test_weekly_digest_lists_the_members_upcoming_webinars(
    member_factory, webinar_factory, register, mailoutbox, deliver
):
    member = member_factory(time_zone="Africa/Nairobi", email="w@example.org")
    set_channel(member, "webinars.reminder", "weekly", weekly_day=0)
    webinar = webinar_factory(title="Cash plus", starts_at=datetime(2027, 3, 5, 9, 0, tzinfo=UTC))
    with clock.travel(datetime(2027, 2, 20, tzinfo=UTC)):
        register(webinar, "w@example.org", member=member)
    mailoutbox.clear()
    with deliver():
        result = digests_send(at=datetime(2027, 3, 1, 6, 0, tzinfo=UTC))  # Mon 09:00 Nairobi
    assert result.sent == 1
    (digest,) = mailoutbox
    assert digest.subject == "Your week on Baraza"
    assert "Cash plus — Fri 5 Mar 2027, 12:00 (Africa/Nairobi, UTC+3)" in digest.body


def test_a_pass_killed_midway_is_finished_by_the_next_nobody_twice(
    member_factory, mailoutbox, deliver, monkeypatch
):
    members = [digest_member(member_factory) for _ in range(7)]
    with clock.travel(T0 - timedelta(hours=6)):
        for member in members:
            mention(member)
    at = datetime(2027, 3, 2, 0, 5, tzinfo=UTC)
    from notifications import digests

    real_contents, calls = digests._contents, {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_contents(*args, **kwargs)

    monkeypatch.setattr(digests, "_contents", dying)
    with pytest.raises(SystemExit), deliver():
        digests_send(at=at, batch_size=3)
    assert DigestRun.objects.count() == 3
    monkeypatch.setattr(digests, "_contents", real_contents)
    with deliver():
        result = digests_send(at=at, batch_size=3)
    assert (result.sent, result.already) == (4, 3)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)


def test_queries_grow_with_batches_not_members(member_factory, django_assert_max_num_queries):
    at = datetime(2027, 3, 2, 0, 5, tzinfo=UTC)

    def run_with(count: int, batch_size: int):
        DigestRun.objects.all().delete()
        OutboundEmail.objects.all().delete()
        Notification.objects.update(emailed_at=None)
        with django_assert_max_num_queries(20 * (count // batch_size + 1)) as captured:
            result = digests_send(at=at, batch_size=batch_size)
        return result, len(captured.captured_queries)

    for _ in range(10):
        member = digest_member(member_factory)
        with clock.travel(T0 - timedelta(hours=6)):
            mention(member)
    result_small, small = run_with(10, 10)
    for _ in range(30):
        member = digest_member(member_factory)
        with clock.travel(T0 - timedelta(hours=6)):
            mention(member)
    result_large, large = run_with(40, 40)
    assert (result_small.sent, result_large.sent) == (10, 40)
    assert large == small  # one batch each: 4× the members, the same queries


def test_send_digests_command_contract(member_factory, capsys, deliver):
    digest_member(member_factory)
    with deliver():
        call_command("send_digests", "--now", "2027-03-02T00:05:00Z")
    assert capsys.readouterr().out.startswith("digests sent: 0, skipped: 1")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--now"):
        call_command("send_digests", "--now", "yesterday")


@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_send_each_digest_once(member_factory, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent passes need PostgreSQL (CI runs them there)")
    members = [digest_member(member_factory) for _ in range(30)]
    with clock.travel(T0 - timedelta(hours=6)):
        for member in members:
            mention(member)
    mailoutbox.clear()
    at, barrier, results = datetime(2027, 3, 2, 0, 5, tzinfo=UTC), threading.Barrier(2), []

    def run_pass():
        barrier.wait()
        results.append(digests_send(at=at, batch_size=10))

    in_threads(run_pass, 2)
    assert sum(r.sent for r in results) == 30
    assert DigestRun.objects.count() == 30
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members)


def test_reading_the_preferences_page_writes_nothing(member_factory, client):
    member = member_factory()
    client.force_login(member)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert not DeliverySettings.objects.filter(member=member).exists()


def test_the_digest_gives_webinar_titles_in_the_members_language_or_marks_the_one_shown(
    member_factory, webinar_factory, register, mailoutbox, deliver
):
    member = member_factory(time_zone="Africa/Nairobi", email="w@example.org", language="es")
    set_channel(member, "webinars.reminder", "weekly", weekly_day=0)
    english = webinar_factory(title="Cash plus", starts_at=datetime(2027, 3, 5, 9, 0, tzinfo=UTC))
    translated = webinar_factory(title="Pensions", starts_at=datetime(2027, 3, 6, 9, 0, tzinfo=UTC))
    translated.title_es = "Pensiones"
    translated.save()
    with clock.travel(datetime(2027, 2, 20, tzinfo=UTC)):
        register(english, "w@example.org", member=member)
        register(translated, "w@example.org", member=member)
    mailoutbox.clear()
    with deliver():
        digests_send(at=datetime(2027, 3, 1, 6, 0, tzinfo=UTC))
    (digest,) = mailoutbox
    assert "* Cash plus (en inglés) — vie 5 Mar 2027" in digest.body
    assert "* Pensiones — sáb 6 Mar 2027" in digest.body
    html = digest.alternatives[0][0]
    assert (
        '<span lang="en">Cash plus</span> <small class="fallback-language">(en inglés)</small>'
        in html
    )
