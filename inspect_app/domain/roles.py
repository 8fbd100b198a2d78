"""The roles a person can hold in a partnership, and what each may do."""

from __future__ import annotations

# What each role may do. Inspectors read a curated subset (approved evidence, signed-off self-evaluation).
ROLE_LABELS = {
    "lead": "Lead",
    "contributor": "Contributor",
    "viewer": "Viewer",
    "inspector": "Inspector",
}
ROLE_DESCRIPTIONS = {
    "lead": "Everything, including sign-off, members and scheduled exports",
    "contributor": "Add evidence, import data and draft the self-evaluation",
    "viewer": "Read everything, change nothing",
    "inspector": "Read-only access to approved evidence and the signed-off self-evaluation until a date",
}
EDITING_ROLES = ("lead", "contributor")

# Accounts
MIN_PASSWORD_LENGTH = 12
