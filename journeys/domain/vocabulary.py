"""Code lists: the words of the journey and the SSDA903 codes they map to.

Every list here is the one place the engine spells these values; validation, the CLI's
choices and the reports all read them from this module.
"""

from __future__ import annotations

from typing import Final

# Event kinds as users type them (CLI, JSONL, JSON output), in the order a
# journey usually passes through them. The order also breaks ties between
# decisions that took effect on the same day: a disruption comes before a match and
# a placement of the same day (a placement for adoption ends before the next begins,
# as a 903 return's episodes say when a child moves from one adoptive placement
# straight into another).
EVENT_KINDS: Final[tuple[str, ...]] = (
    "child-details",
    "entered-care",
    "proceedings-issued",
    "proceedings-concluded",
    "family-finding",
    "plan-change",
    "plan-decision",
    "adoption-decision",
    "placement-order",
    "review",
    "disruption",
    "match",
    "placed",
    "adoption-order",
    "ltf-breakdown",
    "ltf-match",
    "sgo-made",
    "cao-made",
    "left-care",
)
KIND_RANK: Final[dict[str, int]] = {kind: rank for rank, kind in enumerate(EVENT_KINDS)}

# Permanence plans a `plan-change` can move to.
PLANS: Final[tuple[str, ...]] = (
    "adoption",
    "reunification",
    "special-guardianship",
    "child-arrangements",
    "long-term-fostering",
    "permanence-abroad",
    "other",
)
ADOPTION: Final = "adoption"
REUNIFICATION: Final = "reunification"
SPECIAL_GUARDIANSHIP: Final = "special-guardianship"
CHILD_ARRANGEMENTS: Final = "child-arrangements"
LONG_TERM_FOSTERING: Final = "long-term-fostering"
# The permanence plans other than adoption a `plan-decision` pursues, each with its own milestones
# and measures (docs/permanence.md); the kind of decision that makes each route's permanence.
ROUTES: Final[tuple[str, ...]] = (SPECIAL_GUARDIANSHIP, CHILD_ARRANGEMENTS, LONG_TERM_FOSTERING, REUNIFICATION)
ROUTE_ORDERS: Final[dict[str, str]] = {
    SPECIAL_GUARDIANSHIP: "sgo-made",
    CHILD_ARRANGEMENTS: "cao-made",
    LONG_TERM_FOSTERING: "ltf-match",
}
PREGNANCY_ENDED: Final = "pregnancy-ended"

# SSDA903 REASON_PLACED_CEASED: why "should be placed for adoption" ended.
RD_REASONS: Final[dict[str, str]] = {
    "RD1": "child's needs changed",
    "RD2": "court did not make a placement order",
    "RD3": "prospective adopters could not be found",
    "RD4": "any other reason",
}

DECIDERS: Final[tuple[str, ...]] = ("court", "agency")

# Documented outcome codes for a plan change (free text is accepted too).
OUTCOMES: Final[dict[str, str]] = {
    "home-with-both-parents": "returned home to both parents",
    "home-with-mother": "returned home to mother",
    "home-with-father": "returned home to father",
    "sgo-relatives": "special guardianship order to relatives",
    "sgo-paternal-grandparents": "special guardianship order to paternal grandparents",
    "sgo-maternal-grandparents": "special guardianship order to maternal grandparents",
    "sgo-foster-carers": "special guardianship order to foster carers",
    "child-arrangements-order": "child arrangements order",
    "long-term-fostering": "long-term fostering",
    "permanence-country-of-origin": "permanent care in the country of origin",
    "pregnancy-ended": "pregnancy ended",
}

PO_AUTHORITIES: Final[tuple[str, ...]] = ("placement-order", "consent")

# SSDA903 LS: legal status.
LEGAL_STATUSES: Final[dict[str, str]] = {
    "C1": "interim care order",
    "C2": "full care order",
    "D1": "freeing order granted",
    "E1": "placement order granted",
    "J1": "remanded to local authority accommodation or youth detention",
    "J2": "placed in local authority accommodation under PACE",
    "J3": "sentenced to a youth rehabilitation order with residence or fostering requirement",
    "L1": "under police protection",
    "L2": "emergency protection order",
    "L3": "child assessment order",
    "V2": "single period of accommodation under section 20",
    "V3": "accommodated under an agreed series of short-term breaks",
    "V4": "accommodated under an agreed series of short-term breaks, when individual episodes of care are recorded",
}

# SSDA903 REC: reason episode ceased.
REASONS_CEASED: Final[dict[str, str]] = {
    "E11": "adopted: application unopposed",
    "E12": "adopted: consent dispensed with by the court",
    "E13": "left care to live with parents, relatives or others, no parental responsibility",
    "E14": "accommodation on remand ended",
    "E15": "age assessment determined child aged 18 or over",
    "E16": "child moved abroad",
    "E17": "aged 18 or over and remained with current carers",
    "E2": "died",
    "E3": "care taken over by another local authority",
    "E41": "residence order or child arrangements order granted",
    "E45": "special guardianship order made to former foster carers, relative or friend",
    "E46": "special guardianship order made to former foster carers, not relative or friend",
    "E47": "special guardianship order made to carers other than former foster carers, relative or friend",
    "E48": "special guardianship order made to carers other than former foster carers, not relative or friend",
    "E4A": "returned home to live with parents or person with parental responsibility as part of the care plan",
    "E4B": "returned home to live with parents or person with parental responsibility not as part of the care plan",
    "E5": "moved into independent living arrangement with formalised support",
    "E6": "moved into independent living arrangement without formalised support",
    "E7": "transferred to residential care funded by adult social care",
    "E8": "period of being looked after ceased for any other reason",
    "E9": "sentenced to custody",
    "X1": "episode ceases, and new episode begins on same day",
}
ADOPTED_REASONS: Final[frozenset[str]] = frozenset({"E11", "E12"})
# REC codes by the permanence route a child left care by: the special guardianship orders
# (E45-E48), a residence or child arrangements order (E41), and a return home to parents or a
# person with parental responsibility (E4A, as part of the care plan; E4B, not).
ROUTE_REASONS: Final[dict[str, frozenset[str]]] = {
    SPECIAL_GUARDIANSHIP: frozenset({"E45", "E46", "E47", "E48"}),
    CHILD_ARRANGEMENTS: frozenset({"E41"}),
    REUNIFICATION: frozenset({"E4A", "E4B"}),
}

# SSDA903 PLACE codes for placements for adoption.
ADOPTION_PLACEMENTS: Final[dict[str, str]] = {
    "A3": "placed for adoption with parental consent with current foster carers",
    "A4": "placed for adoption with parental consent not with current foster carers",
    "A5": "placed for adoption with a placement order with current foster carers",
    "A6": "placed for adoption with a placement order not with current foster carers",
}

HARDER_TO_PLACE: Final[tuple[str, ...]] = (
    "age-5-plus",
    "sibling-group",
    "minority-ethnic",
    "disability",
)

REVIEW_TYPES: Final[tuple[str, ...]] = ("looked-after", "adoption")

COURT_ORDERS: Final[tuple[str, ...]] = (
    "care-order",
    "placement-order",
    "special-guardianship",
    "child-arrangements",
    "no-order",
)

# Stages a child can be in, as `journeys show` reports them.
CHILD_STAGES: Final[tuple[str, ...]] = (
    "not-in-care",
    "in-care",
    "adoption-decision",
    "placement-order",
    "matched",
    "placed",
    "adopted",
    "left-care",
)
