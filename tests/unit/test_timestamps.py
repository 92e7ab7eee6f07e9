"""RFC 3339 timestamps in and out of the wire format."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extend_async._converter import converter

UTC = timezone.utc
PLUS_TWO = timezone(timedelta(hours=2))


def parse(text: object) -> datetime:
    return converter.structure(text, datetime)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-21T15:30:00Z", datetime(2024, 3, 21, 15, 30, tzinfo=UTC)),
        ("2024-03-21T15:30:00z", datetime(2024, 3, 21, 15, 30, tzinfo=UTC)),
        ("2024-03-21T15:30:00+00:00", datetime(2024, 3, 21, 15, 30, tzinfo=UTC)),
        ("2024-03-21T17:30:00+02:00", datetime(2024, 3, 21, 17, 30, tzinfo=PLUS_TWO)),
        (" 2024-03-21T15:30:00Z ", datetime(2024, 3, 21, 15, 30, tzinfo=UTC)),
        ("2024-03-21T15:30:00", datetime(2024, 3, 21, 15, 30, tzinfo=UTC)),
        ("2024-03-21T15:30:00.250", datetime(2024, 3, 21, 15, 30, 0, 250000, tzinfo=UTC)),
    ],
)
def test_timestamps_parse_to_aware_datetimes(text: str, expected: datetime) -> None:
    parsed = parse(text)

    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("fraction", "microsecond"),
    [
        ("1", 100000),
        ("12", 120000),
        ("123", 123000),
        ("1234", 123400),
        ("12345", 123450),
        ("123456", 123456),
        ("1234567", 123456),
        ("12345678", 123456),
        ("123456789", 123456),
    ],
)
def test_fractional_seconds_of_any_length(fraction: str, microsecond: int) -> None:
    parsed = parse(f"2024-03-21T15:30:07.{fraction}Z")

    assert parsed == datetime(2024, 3, 21, 15, 30, 7, microsecond, tzinfo=UTC)


def test_a_fraction_with_an_offset_keeps_the_offset() -> None:
    parsed = parse("2024-03-21T17:30:07.5+02:00")

    assert parsed == datetime(2024, 3, 21, 15, 30, 7, 500000, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(hours=2)


def test_datetime_objects_pass_through_and_naive_ones_become_utc() -> None:
    aware = datetime(2024, 3, 21, 17, 30, tzinfo=PLUS_TWO)

    assert parse(aware) is aware
    assert parse(datetime(2024, 3, 21, 15, 30)) == datetime(2024, 3, 21, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("", ValueError, "not an RFC 3339 timestamp: ''"),
        ("yesterday", ValueError, "not an RFC 3339 timestamp: 'yesterday'"),
        ("2024-13-01T00:00:00Z", ValueError, "not an RFC 3339 timestamp"),
        (1711035000, TypeError, "expected an RFC 3339 string, got int"),
        (None, TypeError, "expected an RFC 3339 string, got NoneType"),
    ],
)
def test_unparsable_timestamps_raise(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2024, 3, 21, 15, 30, tzinfo=UTC), "2024-03-21T15:30:00Z"),
        (datetime(2024, 3, 21, 15, 30, 0, 123456, tzinfo=UTC), "2024-03-21T15:30:00.123456Z"),
        (datetime(2024, 3, 21, 17, 30, tzinfo=PLUS_TWO), "2024-03-21T17:30:00+02:00"),
        (datetime(2024, 3, 21, 15, 30), "2024-03-21T15:30:00Z"),
    ],
)
def test_timestamps_are_written_in_rfc_3339_with_z_for_utc(value: datetime, text: str) -> None:
    assert converter.unstructure(value, datetime) == text
    assert parse(text) == value.replace(tzinfo=value.tzinfo or UTC)
