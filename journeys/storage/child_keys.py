"""Each child's own key, and the tokens its identifying values are stored as (an erasable store).

A store of sealing format 2 holds a table ``journeys_child_keys (stream, la, key, created_at,
erased_at, reason)`` beside its events: one random AES-256-GCM key per journey, made when the
journey is opened and inserted in the transaction that stores its first event. Each protected
value of an event (:mod:`journeys.domain.protected`) is stored as a token

    enc:v1:<clear>:<base64url of nonce and ciphertext>

where ``<clear>`` is empty, or the year of a date of birth (or expected date): the residue kept
in clear. The nonce is an HMAC, under a key derived from the child's, of the field's name and
the value, so the same value gives the same token (a restored line seals to the same hash and a
child's access-log records share one token); two different values never share a nonce. The
field's name is the cipher's associated data: a token cannot be moved to another field.

Erasing a child overwrites its key with zeros and then sets it to NULL, in the transaction that
stores the ``erased`` event; its tokens then read as :func:`journeys.domain.protected.erased_value`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from journeys.domain.errors import InvalidEvent
from journeys.domain.protected import (
    EVENT_ID,
    FIELDS,
    PROTECTED,
    PROTECTED_IN_FIELDS,
    YEAR_KEPT,
    erased_value,
    protects_event_id,
)

CHILD_KEYS_TABLE = "journeys_child_keys"
TOKEN = "enc:v1:"
_TOKEN_BYTES = TOKEN.encode()
# The names whose stored values may be tokens, anywhere in an event's content.
_MAYBE_TOKENS = frozenset(
    {name for names in PROTECTED.values() for name in names} | set(PROTECTED_IN_FIELDS) | {EVENT_ID}
)


_MAYBE_TOKEN_LABELS = frozenset(name.encode() for name in _MAYBE_TOKENS)


def has_tokens(state: bytes) -> bool:
    """Whether a stored JSON state may hold a token (a quick look at its bytes)."""
    return _TOKEN_BYTES in state


# An event sealed, by (stream id as its content writes it, version): its stored content, which
# the mapper writes without making the tokens a second time.
Sealed = dict[tuple[str, int], dict[str, Any]]
# How many sealed contents are kept for the mapper at most (those of events sealed and then
# refused, never written, would otherwise stay).
SEALED_KEPT = 50_000


class ChildProtection:
    """One child's key at work: protected values to tokens and back."""

    __slots__ = ("_aead", "_nonce_key", "_sealed")

    def __init__(self, key: bytes, sealed: Sealed | None = None) -> None:
        # imported here: a command on a store of format 1 (and `show`'s start) does without it
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        self._nonce_key = hashlib.sha256(b"journeys nonce key\0" + key).digest()
        self._sealed = sealed

    def token(self, name: str, value: Any, clear: str | None = None) -> str:
        """``value`` of field ``name`` as a token; ``clear``, or for a date of birth its year,
        kept in clear in it."""
        plain = orjson.dumps(value)
        label = name.encode()
        nonce = hmac.digest(self._nonce_key, label + b"\0" + plain, "sha256")[:12]
        sealed = base64.urlsafe_b64encode(nonce + self._aead.encrypt(nonce, plain, label)).rstrip(b"=").decode()
        if clear is None:
            clear = value[:4] if name in YEAR_KEPT and isinstance(value, str) else ""
        return f"{TOKEN}{clear}:{sealed}"

    def value(self, name: str, token: str) -> Any:
        """The value a token holds (the cipher's ``InvalidTag`` for a token not made by this
        key for ``name``: tampered with, or of another child or field)."""
        return orjson.loads(self.plain_bytes(name.encode(), token.rsplit(":", 1)[1].encode()))

    def plain_bytes(self, label: bytes, sealed: bytes) -> bytes:
        """The JSON of the value whose token, of the field named ``label``, ends in ``sealed``
        (its base64url part)."""
        raw = base64.urlsafe_b64decode(sealed + b"=" * (-len(sealed) % 4))
        return self._aead.decrypt(raw[:12], raw[12:], label)

    def stored(self, topic: str, content: Mapping[str, Any]) -> dict[str, Any]:
        """``content`` as it is stored and hashed (see :meth:`stored_copy`), kept for the
        mapper, which writes it once the event is sealed."""
        stored = self.stored_copy(topic, content)
        sealed = self._sealed
        if sealed is not None:
            if len(sealed) >= SEALED_KEPT:
                sealed.clear()
            sealed[(str(content["originator_id"]), content["originator_version"])] = stored
        return stored

    def stored_copy(self, topic: str, content: Mapping[str, Any]) -> dict[str, Any]:
        """``content`` as it is stored and hashed: its protected values tokens (a copy; the
        content itself when the topic protects nothing)."""
        names = PROTECTED.get(topic)
        event_id = content.get(EVENT_ID)
        tokened_id = event_id is not None and protects_event_id(event_id)
        if not names and not tokened_id:
            return content if isinstance(content, dict) else dict(content)
        stored = dict(content)
        if tokened_id:
            stored[EVENT_ID] = self.token(EVENT_ID, event_id)
        names = names or ()
        for name in names:
            value = stored.get(name)
            if value is not None:
                stored[name] = self.token(name, value)
        inner = stored.get(FIELDS)
        if isinstance(inner, dict):
            stored[FIELDS] = {
                k: (self.token(k, v) if k in PROTECTED_IN_FIELDS and v is not None else v) for k, v in inner.items()
            }
        return stored


def clear_part(token: str) -> str:
    """What a token keeps in clear (a year of birth, an access record's stream), or ""."""
    return token[len(TOKEN) :].split(":", 1)[0]


# A token in a stored state's JSON, after its field's name (a JSON string cannot hold an
# unescaped quote, so this finds no token inside another value).
_TOKEN_AT = re.compile(rb'"([a-z_]+)":"enc:v1:[^":]*:([A-Za-z0-9_-]+)"')
_STREAM_AT = b'"originator_id":"'


def plain_json(state: bytes, keys: ChildKeys) -> bytes:
    """A stored state's JSON with its tokens replaced, in the bytes, by the JSON of the values
    they hold (as erased, once the child's key is destroyed): no parse and no dump of the event."""
    at = state.find(_STREAM_AT) + len(_STREAM_AT)
    stream_text = state[at : at + 36].decode()
    protection = keys.protection_by_text(stream_text)

    def value(found: re.Match[bytes]) -> bytes:
        label, sealed = found.groups()
        if label not in _MAYBE_TOKEN_LABELS:
            return found.group(0)
        if protection is None:
            plain = orjson.dumps(erased_value(UUID(stream_text), label.decode()))
        else:
            plain = protection.plain_bytes(label, sealed)
        return b'"' + label + b'":' + plain

    return _TOKEN_AT.sub(value, state)


def utc_now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class ChildKeys:
    """The key table of one store: each child's key read once and kept (every key is read in
    one query the first time one is wanted), new keys held until the transaction that stores
    their journey's first event inserts them (:meth:`write`), and keys destroyed in the
    transaction that stores the erasure."""

    def __init__(
        self,
        table: str,
        mark: str,
        reading: Callable[[], AbstractContextManager[Any]],
        stream_value: Callable[[UUID], Any],
        before_erasing: str = "",
    ) -> None:
        self.table, self.mark, self._reading, self._stream_value = table, mark, reading, stream_value
        self._before_erasing = before_erasing  # a statement run before a key is destroyed
        self._keys: dict[UUID, bytes | None] = {}  # None: erased
        self._protections: dict[UUID, ChildProtection | None] = {}
        self._by_text: dict[str, ChildProtection | None] = {}  # by the stream id as content writes it
        self.sealed: Sealed = {}
        self._all_read = False
        self.pending: dict[UUID, tuple[str, bytes]] = {}  # new keys: stream -> (la, key)
        self.erasing: dict[UUID, str] = {}  # stream -> reason, destroyed with the next write

    # -- reading -------------------------------------------------------------------------

    def protection(self, stream: UUID) -> ChildProtection | None:
        """The child's protection, None when its key was destroyed (or was never made)."""
        found = self._protections.get(stream, False)
        if found is not False:
            return found  # type: ignore[return-value]
        pending = self.pending.get(stream)
        key = pending[1] if pending else self._key(stream)
        made = None if key is None else ChildProtection(key, self.sealed)
        self._protections[stream] = made
        return made

    def protection_by_text(self, stream: str) -> ChildProtection | None:
        """As :meth:`protection`, by the stream id's text as an event's content writes it."""
        found = self._by_text.get(stream, False)
        if found is False:
            found = self._by_text[stream] = self.protection(UUID(stream))
        return found  # type: ignore[return-value]

    def _key(self, stream: UUID) -> bytes | None:
        if stream in self._keys:
            return self._keys[stream]
        m = self.mark
        with self._reading() as cursor:
            if not self._all_read:
                cursor.execute(f"SELECT stream, key FROM {self.table}")
                for raw, key in map(_pair, cursor.fetchall()):
                    self._keys[_uuid(raw)] = None if key is None else bytes(key)
                self._all_read = True
            if stream not in self._keys:  # made by another process since
                cursor.execute(f"SELECT stream, key FROM {self.table} WHERE stream = {m}", [self._stream_value(stream)])
                for raw, key in map(_pair, cursor.fetchall()):
                    self._keys[_uuid(raw)] = None if key is None else bytes(key)
        return self._keys.get(stream)

    def erasure(self, stream: UUID) -> tuple[str | None, str | None] | None:
        """When and why the child's key was destroyed (None if it was not)."""
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT erased_at, reason FROM {self.table} WHERE stream = {self.mark}", [self._stream_value(stream)]
            )
            row = cursor.fetchone()
        if row is None:
            return None
        at, reason = _pair(row)
        return None if at is None else (str(at), reason)

    # -- writing -------------------------------------------------------------------------

    def key_text(self, stream: UUID) -> str | None:
        """The child's key as a lossless export carries it (base64url), None once destroyed."""
        key = self._key(stream)
        return None if key is None else base64.urlsafe_b64encode(key).decode()

    def new(self, stream: UUID, la: str, key: str | None = None) -> ChildProtection:
        """A new journey's protection, its key (``key``, as :meth:`key_text` writes it, when a
        lossless line restores the journey; else a new random one) inserted with the journey's
        first event."""
        given = None if key is None else _key_of(key)
        if stream not in self.pending or (given is not None and self.pending[stream][1] != given):
            self.pending[stream] = (la, given or os.urandom(32))
            self._protections.pop(stream, None)
            self._by_text.pop(str(stream), None)
        protection = self.protection(stream)
        assert protection is not None
        return protection

    def write(self, cursor: Any, streams: Iterable[UUID]) -> list[UUID]:
        """In the transaction storing events of ``streams``: insert the new keys among them,
        and destroy the keys of those being erased. The streams it wrote, for :meth:`written`
        once the events' insert has succeeded too."""
        m = self.mark
        wrote: list[UUID] = []
        new_keys: list[list[Any]] = []
        now = utc_now_text()
        for stream in set(streams):
            pending = self.pending.get(stream)
            if pending is not None:
                new_keys.append([self._stream_value(stream), pending[0], pending[1], now])
                wrote.append(stream)
            reason = self.erasing.get(stream)
            if reason is not None:
                where = self._stream_value(stream)
                if self._before_erasing:
                    cursor.execute(self._before_erasing)
                # zeros over the key's bytes first, then no key at all
                cursor.execute(f"UPDATE {self.table} SET key = {m} WHERE stream = {m}", [bytes(32), where])
                cursor.execute(
                    f"UPDATE {self.table} SET key = NULL, erased_at = {m}, reason = {m} WHERE stream = {m}",
                    [now, reason, where],
                )
                wrote.append(stream)
        if new_keys:
            cursor.executemany(
                f"INSERT INTO {self.table} (stream, la, key, created_at) VALUES ({m}, {m}, {m}, {m})", new_keys
            )
        return wrote

    def written(self, streams: Iterable[UUID]) -> None:
        """What :meth:`write` wrote, kept: the new keys known, the destroyed ones forgotten."""
        for stream in streams:
            pending = self.pending.pop(stream, None)
            if pending is not None:
                self._keys[stream] = pending[1]
            if self.erasing.pop(stream, None) is not None:
                self._keys[stream] = None
                self._protections[stream] = None
                self._by_text[str(stream)] = None


def _key_of(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise InvalidEvent("an 'opened' line's key is not 32 bytes in base64url, as export writes it")
    return key


def _pair(row: Any) -> tuple[Any, Any]:
    values = tuple(row.values()) if isinstance(row, dict) else tuple(row)
    return values[0], values[1]


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
