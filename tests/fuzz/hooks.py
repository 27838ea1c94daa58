"""Schemathesis hooks for fuzzing the GraphQL endpoint (loaded by SCHEMATHESIS_HOOKS=hooks).

They teach it the API's custom scalars with values inside and just outside their domains, and add a
check that every error in a GraphQL answer carries a code (`extensions.code`) other than INTERNAL_ERROR.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

# instants: the whole 0001–9999 range with offsets up to ±14:00, plus strings that only look like one
_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_INSTANTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_OFFSETS)
_ODD_INSTANTS = st.sampled_from(
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "10000-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "2025-02-30T00:00:00Z",
        "2025-01-01",
        "2025-01-01T25:00:00Z",
        "",
    ]
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(_INSTANTS.map(lambda moment: moment.isoformat()), _ODD_INSTANTS, st.text(max_size=40)).map(
        nodes.String
    ),
)
schemathesis.graphql.scalar(
    "Date",
    st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.sampled_from(
            ["0000-01-01", "10000-01-01", "2025-13-01", "9999-12-31", datetime.now(UTC).isoformat()]
        ),
        st.text(max_size=20),
    ).map(nodes.String),
)
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(
            allow_nan=False,
            allow_infinity=False,
            places=2,
            min_value=Decimal("-1e15"),
            max_value=Decimal("1e15"),
        ).map(str),
        st.sampled_from(["1E+999998", "NaN", "Infinity", "-0", "0.001", "1e-7", "12345678901234567890.12"]),
        st.text(max_size=30),
    ).map(nodes.String),
)


@schemathesis.check
def every_error_is_coded(ctx, response, case):  # noqa: ANN001, ANN201 (schemathesis' check signature)
    """No 5xx; every GraphQL error names a code, and none is an internal error. (Schemathesis' own
    not_a_server_error counts every GraphQL error as a failure, BAD_INPUT included, so it is replaced.)"""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:300]!r}")
    try:
        body = response.json()
    except ValueError as error:
        raise AssertionError(f"the answer is not JSON: {response.text[:200]!r}") from error
    for entry in body.get("errors") or []:
        code = (entry.get("extensions") or {}).get("code")
        if not code:
            raise AssertionError(f"an error without a code: {entry.get('message')!r}")
        if code == "INTERNAL_ERROR":
            raise AssertionError(f"an internal error: {entry}")


# a file is sent as a part of a multipart request, never inline: any inline value (enrollLikeness's required
# `file: Upload!`) must be refused with a coded error naming `file`
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))
