"""Permissions as named predicates over an actor and, where it matters, an object
(adhocracy4 rules style: `is_author | is_moderator`, `can_write & phase_allows(...)`).

Services call `require(predicate, actor, obj)`; pages only use the predicates to
decide what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lib.domain.accounts import Role, User
from lib.domain.errors import AccountSuspended, NotSignedIn, PermissionDenied
from lib.domain.ideas import Action, IdeaStatus, allows, can_move, editable_statuses, takes_updates


@dataclass(frozen=True)
class Predicate:
    name: str
    test: Callable[[User | None, Any], bool]

    def __call__(self, actor: User | None, obj: Any = None) -> bool:
        return self.test(actor, obj)

    def __or__(self, other: Predicate) -> Predicate:
        return Predicate(f"({self.name} | {other.name})", lambda a, o: self(a, o) or other(a, o))

    def __and__(self, other: Predicate) -> Predicate:
        return Predicate(f"({self.name} & {other.name})", lambda a, o: self(a, o) and other(a, o))

    def __invert__(self) -> Predicate:
        return Predicate(f"~{self.name}", lambda a, o: not self(a, o))


def named(name: str, predicate: Predicate) -> Predicate:
    """The same test under the name of the action it guards (what PermissionDenied reports)."""
    return Predicate(name, predicate.test)


def _owner(name: str, field: str) -> Predicate:
    """The actor is the account the object's `field` names."""
    return Predicate(name, lambda a, o: a is not None and o is not None and getattr(o, field, None) == a.id)


def _role(role: Role) -> Predicate:
    return Predicate(f"is_{role.value}", lambda a, _o: a is not None and a.has(role))


def phase_allows(action: Action) -> Predicate:
    """The object (anything with a `.status`) is in a status that allows the action."""
    return Predicate(f"phase_allows_{action.value}",
                     lambda _a, o: o is not None and allows(IdeaStatus(o.status), action))


def phase_leads_to(target: IdeaStatus) -> Predicate:
    """The object (anything with a `.status`) may move to `target` (read off the lifecycle's TRANSITIONS)."""
    return Predicate(f"phase_leads_to_{target.value}",
                     lambda _a, o: o is not None and can_move(IdeaStatus(o.status), target))


is_signed_in = Predicate("is_signed_in", lambda a, _o: a is not None)
is_active = Predicate("is_active", lambda a, _o: a is not None and not a.is_suspended)
is_consumer = _role(Role.CONSUMER)
is_maker = _role(Role.MAKER)
is_moderator = _role(Role.MODERATOR)
is_admin = _role(Role.ADMIN)
is_staff = is_moderator | is_admin
# Owners: the author of an idea, the maker of a campaign, quote, listing or order, the buyer of an
# order, the backer of a pre-order.
is_author = _owner("is_author", "author_id")
is_maker_of = _owner("is_maker_of", "maker_id")
is_buyer_of = _owner("is_buyer_of", "buyer_id")
is_backer_of = _owner("is_backer_of", "user_id")
is_editable_status = Predicate("is_editable_status", lambda _a, o: o is not None
                               and IdeaStatus(o.status) in editable_statuses())
is_submittable_status = phase_leads_to(IdeaStatus.PENDING_REVIEW)
is_withdrawable_status = phase_leads_to(IdeaStatus.WITHDRAWN)
is_open_for_updates = Predicate("is_open_for_updates", lambda _a, o: o is not None
                                and takes_updates(IdeaStatus(o.status)))
# The object (an idea, or a campaign or listing of one) was hidden by a moderator.
is_hidden = Predicate("is_hidden", lambda _a, o: bool(getattr(o, "hidden", False)))

# Named actions. Writing anything needs an active (not suspended) account.
can_write = is_signed_in & is_active
can_read_outbox = is_admin
can_retry_email = is_admin & is_active
can_manage_roles = is_admin & is_active  # granting roles is a write: not while suspended
can_list_users = is_admin
can_edit_settings = is_admin & is_active
can_moderate = is_staff & is_active
can_read_audit = is_staff
can_submit_idea = can_write
can_edit_idea = can_write & is_author & is_editable_status
can_withdraw_idea = can_write & is_author
can_support = can_write & phase_allows(Action.SUPPORT) & ~is_author
can_comment = can_write & phase_allows(Action.COMMENT)
can_suggest = can_write & phase_allows(Action.SUGGEST)
can_decide_suggestion = can_write & is_author
can_post_update = can_write & is_author
can_flag = can_write & ~is_author  # the object: an idea or a comment; nobody flags their own
can_follow = can_write
# Makers and buyers acting on what is theirs.
can_see_as_maker = named("maker_scope", is_maker_of)
can_revise_quote = named("revise_quote", can_write & is_maker_of)
can_list_campaign = named("create_listing", can_write & is_maker_of)
can_manage_listing = named("update_listing", can_write & is_maker_of)
can_reply_to_review = named("reply_to_review", can_write & is_maker_of)  # the reviewed listing's maker
can_refund_order = named("refund_order", can_write & (is_maker_of | is_admin))
can_confirm_delivery = named("confirm_delivery", can_write & is_buyer_of)
can_review_order = named("review_order", can_write & is_buyer_of)
can_change_preorder = named("change_preorder", can_write & is_backer_of)
# What a moderator hid is hidden everywhere its content appears: only staff (and the maker of a
# campaign or listing of it, who answers for it) still see it. Reading needs no active account.
can_view_content = named("view_content", ~is_hidden | is_staff | is_maker_of)


def require(predicate: Predicate, actor: User | None, obj: Any = None) -> User:
    """Return the actor if allowed, else raise the most helpful named error."""
    if actor is None:
        raise NotSignedIn()
    if predicate(actor, obj):
        return actor
    if actor.is_suspended:
        raise AccountSuspended()
    raise PermissionDenied(action=predicate.name)
