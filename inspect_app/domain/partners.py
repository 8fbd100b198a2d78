"""The organisations that make up a local area partnership."""

from __future__ import annotations

PARTNERS: dict[str, str] = {
    "council": "Council (local authority)",
    "icb": "Integrated care board (NHS)",
    "parent_carer_forum": "Parent carer forum",
    "school_or_college": "School or college",
    "provider": "Provider",
    "other": "Other",
}
