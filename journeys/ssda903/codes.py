"""SSDA903 codes and table layouts the importer needs beyond :mod:`journeys.domain.vocabulary`.

Column names and code lists follow the DfE guidance as the public validator
(data-to-insight/csc-validator-be-903) uses them.
"""

from __future__ import annotations

from typing import Final

# RNE: reason for a new episode.
NEW_EPISODE_REASONS: Final[dict[str, str]] = {
    "S": "started to be looked after",
    "L": "change of legal status only",
    "P": "change of placement and carer",
    "T": "change of placement, same carer",
    "B": "change of legal status and of placement and carer",
    "U": "change of legal status and of placement, same carer",
}
STARTED: Final = "S"
SAME_CARER: Final[frozenset[str]] = frozenset({"L", "T", "U"})

# The code lists each column may hold are by collection year: journeys/rules/ssda903_codes.toml
# (read by :mod:`journeys.ssda903.year_codes`).
WITH_FOSTER_CARERS: Final[frozenset[str]] = frozenset({"A3", "A5"})

# LS codes that authorise placing for adoption: E1 placement order, D1 (older) freeing order.
PLACEMENT_AUTHORITY: Final[frozenset[str]] = frozenset({"E1", "D1"})

# REC that does not end the period of care.
CONTINUES: Final = "X1"

# The four tables (file names vary between LAs and tools, so a table is known by its columns).
HEADER: Final = "header"
EPISODES: Final = "episodes"
AD1: Final = "ad1"
PLACED_FOR_ADOPTION: Final = "placed_for_adoption"
TABLES: Final[tuple[str, ...]] = (HEADER, EPISODES, AD1, PLACED_FOR_ADOPTION)

# The columns each table is written with, in the order the DfE guidance lists them.
TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    HEADER: ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    EPISODES: ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
               "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    AD1: ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    PLACED_FOR_ADOPTION: ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
}  # fmt: skip

# The columns that recognise a table when a file holds them all (each a subset of the table's columns).
RECOGNISING_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    EPISODES: ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
    PLACED_FOR_ADOPTION: ("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    AD1: ("CHILD", "DATE_INT", "DATE_MATCH"),
    HEADER: ("CHILD", "SEX", "DOB"),
}
# The columns an import reads of each table: those that recognise it, and those read when the file
# has them (the date of birth AD1 and PlacedAdoption repeat, checked against Header's: INT11, INT12).
OPTIONAL_COLUMNS: Final[dict[str, tuple[str, ...]]] = {AD1: ("DOB",), PLACED_FOR_ADOPTION: ("DOB",)}
READ_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    table: (*columns, *OPTIONAL_COLUMNS.get(table, ())) for table, columns in RECOGNISING_COLUMNS.items()
}
# The order in which a file's columns are tried: the most specific table first.
RECOGNITION_ORDER: Final[tuple[str, ...]] = (EPISODES, PLACED_FOR_ADOPTION, AD1, HEADER)

# The 903's other tables, which the import does not read, with their columns (as the public
# validator's config names them): a file holding a column of one of them that a read table lacks
# is not that read table (a UASC table has CHILD, SEX and DOB, as Header has).
OTHER_TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "oc2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
            "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "prev_perm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "sw_episodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "dolo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}  # fmt: skip

# Columns other 903 tables (reviews, UASC, missing, OC2, ...) have too; every other column of
# TABLE_COLUMNS belongs to one table only, and tells which table a file was meant to be.
SHARED_COLUMNS: Final[frozenset[str]] = frozenset({"CHILD", "SEX", "DOB"})

# The file names each table is written under (lower case, letters and digits only, a year left
# out): the names DfE and the public validator use.
TABLE_NAMES: Final[dict[str, tuple[str, ...]]] = {
    HEADER: ("header",),
    EPISODES: ("episodes", "episode"),
    AD1: ("ad1",),
    PLACED_FOR_ADOPTION: ("placedforadoption", "placedadoption"),
}

# How 903 tables write a date (dd/mm/yyyy).
DATE_FORMAT: Final = "%d/%m/%Y"
