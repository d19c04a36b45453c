"""Check a journeys checkpoint against an export, without the journeys engine.

    python verify_checkpoint.py CHECKPOINT.json EXPORT.jsonl [--public-key HEX]

Needs Python 3.11+ and the `cryptography` package, nothing else. It follows docs/evidence.md:
checks the checkpoint's Ed25519 signature (and that it was made with --public-key, if given),
re-seals every event of the export (`journeys export`, whose lines carry a "recorded" member)
and its hash chain, finds each checkpoint leaf's event in the export, and recomputes the Merkle
root (RFC 6962) over the leaves. Exit 0 when all holds; 1 with each problem named by child and
event, then a last line saying what failed; 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import sys
import uuid
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

NAMESPACE = uuid.UUID("6f1d3c52-3b0e-5a55-9c7e-2c1f0a6b8d41")  # a stream id: uuid5(NAMESPACE, "journey:LA:CHILD")
DECISIONS = "child_details entered_care proceedings_issued proceedings_concluded family_finding plan_change "
DECISIONS += "adoption_decision placement_order review match placed disruption adoption_order left_care"
TOPICS = {name.replace("_", "-"): f"journeys.{name}.v1" for name in DECISIONS.split()}
TOPICS |= {"opened": "journeys.opened.v1", "correct": "journeys.correction.v1", "retract": "journeys.retraction.v1"}
TOPICS |= {"action": "journeys.action_added.v1", "action-done": "journeys.action_done.v1"}
TOPICS |= {"action-edited": "journeys.action_edited.v1", "action-cancelled": "journeys.action_cancelled.v1"}
TOPICS |= {"legal-hold": "journeys.legal_hold.v1", "carers-seen": "journeys.carers_seen.v1"}
NOT_DECISIONS = {"action", "action-done", "action-edited", "action-cancelled", "legal-hold", "carers-seen"}
LINE_KEYS = {"id", "la", "child", "event", "recorded"}
# Payload fields a later version added, stored only when set (else the event is stored in the
# older version: entered-care without on_or_before is journeys.entered_care.v1, left-care likewise).
ADDED = {
    "entered-care": ("on_or_before", "journeys.entered_care.v2"),
    "left-care": ("on_or_before", "journeys.left_care.v2"),
}


def stored_payload(kind: str, fields: dict) -> tuple[dict, str | None]:
    """A decision's fields as its event stores them, and the topic when a later version's."""
    if kind not in ADDED:
        return fields, None
    name, topic = ADDED[kind]
    if fields.get(name) is None:
        return {k: v for k, v in fields.items() if k != name}, None
    return fields, topic


def content(line: dict, by_id: dict[str, int], fields_of: dict[int, tuple[str, dict]]) -> dict:
    """An export line's event as the store holds it (its hash left out): the content hashed."""
    rec, kind = line["recorded"], line["event"]
    body = {k: v for k, v in line.items() if k not in LINE_KEYS}
    common = {"originator_id": str(uuid.uuid5(NAMESPACE, f"journey:{line['la']}:{line['child']}"))}
    common |= {"originator_version": rec["seq"], "timestamp": rec["at"], "recorded_by": rec["by"]}
    common |= {"source": rec["source"], "event_id": line["id"], "topic": TOPICS[kind]}
    if kind == "opened":
        return common | {"originator_topic": "journeys.journey.v1", "la": line["la"], "child": line["child"]}
    if kind == "correct":  # its fields: those of the decision it corrects, as corrected
        target = by_id[body.pop("corrects")]
        reason, on = body.pop("reason"), body.pop("on")
        body = body.pop("fields", body)  # the fields in a "fields" member when a name is the line's own
        kind_of, fields = fields_of[target]
        fields_of[target] = (kind_of, {**fields, **body})
        stored, _ = stored_payload(kind_of, fields_of[target][1])
        return common | {"target": target, "on": on, "fields": stored, "reason": reason}
    if kind == "retract":
        return common | {"target": by_id[body["retracts"]], "reason": body["reason"]}
    if kind in TOPICS and kind not in NOT_DECISIONS:
        fields_of[rec["seq"]] = (kind, {k: v for k, v in body.items() if k != "on"})
        body, topic = stored_payload(kind, body)
        if topic is not None:
            common["topic"] = topic
    return common | body


def event_hash(previous: str, body: dict) -> str:
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(previous.encode("ascii") + data).hexdigest()


def merkle_root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = hashes
    while len(level) > 1:
        paired = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        level = paired + level[len(level) - len(level) % 2 :]
    return level[0]


def leaf_bytes(la: str, child: str, version: int, head: str) -> bytes:
    a, c = la.encode("utf-8"), child.encode("utf-8")
    sizes = struct.pack(">I", len(a)), struct.pack(">I", len(c))
    return sizes[0] + a + sizes[1] + c + struct.pack(">Q", version) + bytes.fromhex(head)


def check(checkpoint: dict, lines: list[dict], public_key: str | None) -> list[str]:
    """Every problem found, each naming what fails; none when the export holds the checkpoint."""
    header = {k: v for k, v in checkpoint.items() if k not in ("signature", "leaves")}
    signed = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    if public_key is not None and public_key.lower() != checkpoint["public_key"]:
        return [f"the checkpoint is signed by {checkpoint['public_key']}, not by the key given"]
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint["public_key"]))
        key.verify(bytes.fromhex(checkpoint["signature"]), signed)
    except (InvalidSignature, ValueError):
        return ["the checkpoint's signature does not hold: the file was changed after it was signed"]
    problems: list[str] = []
    known_at = checkpoint["known_at"] and datetime.fromisoformat(checkpoint["known_at"])
    streams: dict[tuple[str, str], dict[int, str]] = {}  # each child's events' hashes by seq
    chains: dict[tuple[str, str], tuple[str, int, dict[str, int], dict[int, dict]]] = {}
    for line in lines:
        name, rec = (line["la"], line["child"]), line["recorded"]
        previous, last, by_id, fields_of = chains.get(name, ("", 0, {}, {}))
        held = streams.setdefault(name, {})
        if rec["seq"] != last + 1:
            problems.append(f"child {name[1]} ({name[0]}) event {last + 1}: not in the export")
        elif event_hash(previous, content(line, by_id, fields_of)) != rec["hash"]:
            problems.append(f"child {name[1]} ({name[0]}) event {rec['seq']}: does not re-seal to its hash")
        by_id[line["id"]] = rec["seq"]
        chains[name] = (rec["hash"], rec["seq"], by_id, fields_of)
        if not known_at or datetime.fromisoformat(rec["at"]) <= known_at:
            held[rec["seq"]] = rec["hash"]
    leaves = sorted(checkpoint["leaves"], key=lambda leaf: (leaf[0].encode("utf-8"), leaf[1].encode("utf-8")))
    for la, child, version, head in leaves:
        held = streams.get((la, child), {})
        if held.get(version) != head:
            what = f"the export holds {max(held, default=0)}"
            what = "not the event the checkpoint holds" if version in held else what
            problems.append(f"child {child} ({la}) event {version}: {what}")
    root = merkle_root([hashlib.sha256(b"\x00" + leaf_bytes(*leaf)).digest() for leaf in leaves]).hex()
    if root != checkpoint["root"]:
        problems.append(f"the leaves give the root {root}, not the checkpoint's {checkpoint['root']}")
    if (checkpoint["streams"], checkpoint["events"]) != (len(leaves), sum(leaf[2] for leaf in leaves)):
        problems.append("the checkpoint's counts are not its leaves'")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("export")
    parser.add_argument("--public-key", help="the 64 hex digits of the key the checkpoint must be signed by")
    args = parser.parse_args()
    try:
        with open(args.checkpoint, encoding="utf-8") as handle:
            checkpoint = json.load(handle)
        with open(args.export, encoding="utf-8") as handle:
            lines = [json.loads(text) for text in handle if text.strip()]
        problems = check(checkpoint, lines, args.public_key)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"cannot read the checkpoint or the export: {error!r}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    if problems:
        print(f"FAILED: {len(problems)} problem(s); the export does not hold the checkpoint", file=sys.stderr)
        return 1
    print(f"ok: {checkpoint['streams']} journeys, {checkpoint['events']} events, root {checkpoint['root']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
