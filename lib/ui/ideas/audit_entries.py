"""One audit-log row as a moderator reads it: the action as they saw it, the target by its name (linked
to its page), money formatted, and the app's own reasons in the reader's language. The log is
append-only, so rows written before an action or reason was named better are rendered sensibly here."""

from __future__ import annotations

from typing import Any

from lib.i18n import LANGUAGES, translate
from lib.services.audit import SYSTEM_REASONS
from lib.services.ideas.ports import AuditEntry
from lib.services.routes import idea_link
from lib.ui.components import plain
from lib.ui.fmt import money, when
from lib.ui.i18n import t

MONEY_DETAILS = ("amount", "price", "payment_fee_fixed")
HIDDEN_DETAILS = ("currency", "reason_key")
# Targets shown with their number (several may share a name); the rest by their name alone.
NUMBERED = ("order", "payout", "email")


def action_name(entry: AuditEntry) -> str:
    """Restoring what was flagged was always "Keep (dismiss flags)", also in rows logged as "restore"."""
    action = entry.action
    if action == "restore" and entry.details.get("flags_resolved"):
        action = "dismiss_flags"
    return t(f"audit.action.{action}")


def target_text(entry: AuditEntry) -> str:
    """'Idea [Its title](/idea?id=2)', 'Order #7 · Lantern', 'Settings': Markdown, names escaped."""
    kind = t(f"audit.target.{entry.target_type}")
    name = plain(entry.target_name) if entry.target_name else ""
    if name and entry.target_idea_id is not None:
        name = f"[{name}]({idea_link(entry.target_idea_id)})"
    if entry.target_type == "setting":
        return kind
    number = f"#{entry.target_id}" if entry.target_type in NUMBERED or not name else ""
    return " ".join(part for part in (kind, number) if part) + (f" · {name}" if name else "")


def reason_text(entry: AuditEntry) -> str:
    """A moderator's own words as typed; the app's reasons (by key, or old rows by their exact text) in
    the reader's language."""
    key = entry.details.get("reason_key")
    if key in SYSTEM_REASONS:
        return t(str(key))
    for known in SYSTEM_REASONS:
        if entry.reason in {translate(lang, known) for lang in LANGUAGES}:
            return t(known)
    return plain(entry.reason)


def details_text(entry: AuditEntry, currency: str) -> str:
    """Named details, money formatted (in the row's currency, else the deployment's)."""
    parts = []
    for key, value in entry.details.items():
        if key in HIDDEN_DETAILS or value is None or value == [] or (key == "user" and entry.target_type == "payout"):
            continue  # (a payout's target already names the payee)
        shown: Any = value
        if key in MONEY_DETAILS and isinstance(value, int):
            shown = money(value, str(entry.details.get("currency") or currency))
        elif key.endswith("_bps") and isinstance(value, int):
            shown = f"{value / 100:g}%"  # basis points
        elif key == "into" and isinstance(value, int):
            shown = f"[#{value}]({idea_link(value)})"
        elif isinstance(value, list):
            shown = ", ".join(plain(str(v)) for v in value)
        else:
            shown = plain(str(value))
        label = t(f"audit.detail.{key}")
        parts.append(f"{plain(key) if label == f'audit.detail.{key}' else label}: {shown}")
    return " · ".join(parts)


def entry_markdown(entry: AuditEntry, currency: str) -> str:
    head = " · ".join([f"**{when(entry.created_at)}**", plain(entry.actor_name),
                       f"**{action_name(entry)}**", target_text(entry)])
    tail = " · ".join(part for part in (reason_text(entry), details_text(entry, currency)) if part)
    return head + (f"  \n{tail}" if tail else "")
