"""How events are stored: pydantic to JSON with orjson (the library's aggregate8 pattern).

Pydantic turns dates, datetimes (freezegun's FakeDatetime included) and UUIDs into JSON
values and rebuilds the model types on the way back, so no transcodings are registered.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, ProgrammingError, StoredEvent, Transcoder, Transcoding
from eventsourcing.utils import get_topic, resolve_topic
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
        return self.stored_event(domain_event, cast(BaseModel, domain_event).model_dump(mode="json"))

    def stored_event(self, domain_event: DomainEventProtocol[UUID], state: dict[str, Any]) -> StoredEvent:
        """The stored event of ``domain_event`` whose JSON content is ``state``."""
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=self.transcoder.encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        return cast(DomainEventProtocol[UUID], cls.model_validate(self.transcoder.decode(stored_event.state)))
