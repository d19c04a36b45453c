"""How events are stored: pydantic to JSON with orjson (the library's aggregate8 pattern), and
never encrypted or compressed (a store asked for either is refused, see :func:`journeys_mapper`).

Pydantic turns dates, datetimes (freezegun's FakeDatetime included) and UUIDs into JSON
values and rebuilds the model types on the way back, so no transcodings are registered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    InfrastructureFactory,
    Mapper,
    ProgrammingError,
    StoredEvent,
    Transcoder,
    Transcoding,
)
from eventsourcing.utils import TopicError, get_topic, resolve_topic

from journeys.domain.errors import StoreError

if TYPE_CHECKING:
    from pydantic import BaseModel


class OrjsonTranscoder(Transcoder):
    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj)

    def decode(self, data: bytes) -> Any:
        return orjson.loads(data)

    def register(self, transcoding: Transcoding) -> None:
        raise ProgrammingError("events are pydantic models: no transcodings are needed")


class PydanticMapper(Mapper[UUID]):
    """Maps pydantic domain events to stored events and back."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        return self.stored_event(domain_event, cast("BaseModel", domain_event).model_dump(mode="json"))

    def stored_event(self, domain_event: DomainEventProtocol[UUID], state: dict[str, Any]) -> StoredEvent:
        """The stored event of ``domain_event`` whose JSON content is ``state``."""
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=self.transcoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = _event_class(stored_event.topic)
        return cast(DomainEventProtocol[UUID], cls.model_validate(self.transcoder.decode(stored_event.state)))


def _event_class(topic: str) -> Any:
    """The event class stored under ``topic``. The journey's event classes register their
    topics when their module is first imported, which a command that reads only decisions
    never needs (:mod:`journeys.storage.decoding`): imported here when first wanted."""
    try:
        return resolve_topic(topic)
    except TopicError:
        import journeys.domain.journey  # noqa: F401  (registers the events' topics)

        return resolve_topic(topic)


# The library's settings for encrypting and compressing stored events: journeys stores events
# as plain JSON (the bulk load seals it, and the read side decodes it, without the mapper), so
# either setting would be silently ignored. Until encryption is built, a store is not opened
# with them.
_UNSUPPORTED = (
    ("CIPHER_TOPIC", "encryption"),
    ("CIPHER_KEY", "encryption"),
    ("COMPRESSOR_TOPIC", "compression"),
)


def journeys_mapper(factory: InfrastructureFactory[Any]) -> Mapper[UUID]:
    """The mapper of a journey store, built by the library's factory; a :class:`StoreError`
    when the environment asks for a cipher or a compressor, which journeys does not apply."""
    for key, what in _UNSUPPORTED:
        if factory.env.get(key):
            raise StoreError(
                f"the setting {key} asks for {what} of the stored events, which journeys does not support yet",
                f"unset {key} (and JOURNEYS_{key}): events are stored as plain JSON",
            )
    return factory.mapper(transcoder=OrjsonTranscoder(), mapper_class=PydanticMapper)
