"""How events are stored: pydantic to JSON with orjson (the library's aggregate8 pattern), then,
when the store's settings ask for them, compressed (``COMPRESSOR_TOPIC``) and encrypted
(``CIPHER_KEY``, ``CIPHER_TOPIC``) with the library's compressor and cipher, in the library's
order (encode, compress, encrypt).

Pydantic turns dates, datetimes (freezegun's FakeDatetime included) and UUIDs into JSON
values and rebuilds the model types on the way back, so no transcodings are registered.
Every path that writes or reads a stored event's state goes through this mapper: the save of
an event object (:meth:`PydanticMapper.to_stored_event`), a load's bulk insert
(:meth:`PydanticMapper.state_of`) and the read side's fast decoding
(:meth:`PydanticMapper.plain_state`). A hash is over the event's canonical content before the
cipher (:mod:`journeys.domain.sealing`), so ``verify`` gives the same answer with or without a
cipher. On an erasable store (``keys``, sealing format 2) the mapper also keeps each protected
value as a token under its child's key, and that content, tokens included, is what is hashed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    Cipher,
    InfrastructureFactory,
    Mapper,
    ProgrammingError,
    StoredEvent,
    Transcoder,
    Transcoding,
)
from eventsourcing.utils import TopicError, get_topic, resolve_topic

from journeys.domain.errors import StoreError
from journeys.storage.child_keys import ChildKeys, has_tokens, plain_json

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
    """Maps pydantic domain events to stored events and back.

    On an erasable store (``keys`` set: sealing format 2) each protected value is written as
    a token under its child's key and read back through it (:mod:`journeys.storage.child_keys`)."""

    keys: ChildKeys | None = None

    @property
    def transforms(self) -> bool:
        """Whether a stored state is other than its JSON (compressed, encrypted, or holding tokens)."""
        return self.cipher is not None or self.compressor is not None or self.keys is not None

    def state_of(self, content: dict[str, Any], topic: str = "") -> bytes:
        """The stored state of an event whose JSON content is ``content`` (stored under
        ``topic``, which says which of its values an erasable store keeps as tokens)."""
        if self.keys is not None and topic:
            content = self._stored_content(topic, content)
        state = self.transcoder.encode(content)
        if self.compressor is not None:
            state = self.compressor.compress(state)
        if self.cipher is not None:
            state = self.cipher.encrypt(state)
        return state

    def _stored_content(self, topic: str, content: dict[str, Any]) -> dict[str, Any]:
        """An erasable store's content of an event as stored: the tokens its sealing made
        (kept by the child's protection), or made now."""
        assert self.keys is not None
        stream_text = str(content["originator_id"])
        stored = self.keys.sealed.pop((stream_text, content["originator_version"]), None)
        if stored is not None:
            stored["hash"] = content["hash"]
            return stored
        protection = self.keys.protection_by_text(stream_text)
        if protection is None:
            raise StoreError(f"the key of stream {stream_text} is destroyed: nothing can be written to it")
        return protection.stored_copy(topic, content)

    def stored_json(self, state: bytes) -> bytes:
        """A stored state as the JSON the store holds (decrypted and decompressed; its
        tokens, on an erasable store, as they are): what its hash is over in format 2."""
        if self.cipher is not None:
            state = self.cipher.decrypt(bytes(state))
        if self.compressor is not None:
            state = self.compressor.decompress(state)
        return state

    def plain_state(self, state: bytes) -> bytes:
        """A stored state as its plain JSON (decrypted, decompressed, its tokens read back)."""
        state = self.stored_json(state)
        if self.keys is not None and has_tokens(state):
            state = plain_json(state, self.keys)
        return state

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        return self.stored_event(domain_event, cast("BaseModel", domain_event).model_dump(mode="json"))

    def stored_event(self, domain_event: DomainEventProtocol[UUID], state: dict[str, Any]) -> StoredEvent:
        """The stored event of ``domain_event`` whose JSON content is ``state``."""
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=(topic := get_topic(type(domain_event))),
            state=self.state_of(state, topic),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        return self.event_of(stored_event.topic, self.plain_state(stored_event.state))

    def event_of(self, topic: str, plain: bytes) -> DomainEventProtocol[UUID]:
        """The event stored under ``topic`` whose JSON is ``plain`` (see :meth:`plain_state`)."""
        cls = _event_class(topic)
        return cast(DomainEventProtocol[UUID], cls.model_validate(self.transcoder.decode(plain)))


def _event_class(topic: str) -> Any:
    """The event class stored under ``topic``. The journey's event classes register their
    topics when their module is first imported, which a command that reads only decisions
    never needs (:mod:`journeys.storage.decoding`): imported here when first wanted."""
    try:
        return resolve_topic(topic)
    except TopicError:
        import journeys.domain.journey  # noqa: F401  (registers the events' topics)

        return resolve_topic(topic)


# The cipher a store with CIPHER_KEY and no CIPHER_TOPIC uses: the library's AES-GCM cipher on
# the `cryptography` package (a dependency of journeys). Its stored format is that of the
# library's other AES cipher, eventsourcing.cipher:AESCipher (on pycryptodome, which journeys
# does not install): either reads what the other wrote.
DEFAULT_CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"


def journeys_mapper(factory: InfrastructureFactory[Any]) -> PydanticMapper:
    """The mapper of a journey store with the cipher and compressor its settings ask for; a
    :class:`StoreError` for a setting that cannot be used (an unknown topic, a bad key)."""
    env = factory.env
    topic = env.get("CIPHER_TOPIC") or (DEFAULT_CIPHER_TOPIC if env.get("CIPHER_KEY") else "")
    try:
        cipher: Cipher | None = resolve_topic(topic)(env) if topic else None
    except (TopicError, ImportError) as error:
        raise StoreError(
            f"the setting CIPHER_TOPIC names a cipher that cannot be used ({error})",
            f"unset CIPHER_TOPIC to use {DEFAULT_CIPHER_TOPIC}",
        ) from None
    except (OSError, ValueError, TypeError) as error:
        raise StoreError(
            f"the setting CIPHER_KEY is not a usable key ({error})",
            "give CIPHER_KEY as 16, 24 or 32 random bytes in base64, e.g. "
            '`python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"`',
        ) from None
    try:
        compressor = factory.compressor()
    except (TopicError, ImportError) as error:
        raise StoreError(
            f"the setting COMPRESSOR_TOPIC names a compressor that cannot be used ({error})",
            "unset COMPRESSOR_TOPIC, or name one such as eventsourcing.compressor:ZlibCompressor",
        ) from None
    return PydanticMapper(transcoder=OrjsonTranscoder(), compressor=compressor, cipher=cipher)
