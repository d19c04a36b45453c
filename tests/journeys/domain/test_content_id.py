"""Content ids are the uuid5 they always were, so reloading a file still skips what is stored."""

from __future__ import annotations

from datetime import date
from uuid import uuid5

from hypothesis import given
from hypothesis import strategies as st

from journeys.domain.identity import JOURNEYS_NAMESPACE, content_id, journey_id, journey_key, uuid5_text


@given(st.text())
def test_uuid5_text_is_the_standard_uuid5(name: str) -> None:
    assert uuid5_text(name.encode("utf-8")) == str(uuid5(JOURNEYS_NAMESPACE, name))


@given(st.text(max_size=8), st.text())
def test_a_journey_key_is_its_stream_id_s_integer(la: str, child: str) -> None:
    assert journey_key(la, child) == journey_id(la, child).int


def test_a_content_id_is_the_uuid5_of_its_sorted_json() -> None:
    body = '{"child":"C1","event":"match","la":"825","on":"2015-04-02"}'
    assert content_id("825", "C1", "match", date(2015, 4, 2), {}) == str(uuid5(JOURNEYS_NAMESPACE, body))
