"""Staff use cases: roles, the user list, the outbox; and the inbox they notify."""

from __future__ import annotations

import pytest

from lib.domain.accounts import AccountStatus, Role, User
from lib.domain.errors import AccountSuspended, InvalidInput, NotFound, NotSignedIn, PermissionDenied
from lib.services.accounts import admin, auth
from lib.services.context import AppContext
from lib.services.messaging import notifications
from tests.unit.fakes import FakeStore

PASSWORD = "correct horse battery"


def _user(ctx: AppContext, email: str, roles: set[Role] | None = None) -> User:
    return auth.sign_up(ctx, email=email, display_name=email.split("@")[0], password=PASSWORD,
                            roles=roles, verified=True)


@pytest.fixture
def admin_user(ctx: AppContext) -> User:
    return admin.create_admin(ctx, email="root@example.com", display_name="Root", password=PASSWORD)


def test_create_admin_makes_a_verified_admin_and_moderator(admin_user: User, store: FakeStore) -> None:
    stored = store.state.users[admin_user.id]
    assert stored.roles == {Role.CONSUMER, Role.MODERATOR, Role.ADMIN}
    assert stored.is_verified
    assert store.outbox_messages() == []


def test_create_admin_promotes_an_existing_account(ctx: AppContext, store: FakeStore) -> None:
    existing = _user(ctx, "maker@example.com", {Role.CONSUMER, Role.MAKER})
    promoted = admin.create_admin(ctx, email="MAKER@example.com", display_name="ignored", password="ignored")
    assert promoted.id == existing.id
    assert store.state.users[existing.id].roles == {Role.CONSUMER, Role.MAKER, Role.MODERATOR, Role.ADMIN}
    assert store.state.users[existing.id].password_hash == "hashed:" + PASSWORD
    assert len(store.state.users) == 1


# ---- set_roles ------------------------------------------------------------------------------


def test_admin_grants_roles_and_the_account_is_told(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    target = _user(ctx, "bo@example.com")
    updated = admin.set_roles(ctx, admin_user, target.id, {Role.MAKER, Role.MODERATOR})
    assert updated.roles == {Role.CONSUMER, Role.MAKER, Role.MODERATOR}
    assert store.state.users[target.id].roles == {Role.CONSUMER, Role.MAKER, Role.MODERATOR}
    notes = store.notifications_for(target.id)
    assert sorted((n.kind, n.params["role"]) for n in notes) == [("role_granted", "maker"),
                                                                 ("role_granted", "moderator")]
    assert notifications.unread_count(ctx, store.state.users[target.id]) == 2


def test_consumer_is_always_kept(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    target = _user(ctx, "bo@example.com", {Role.CONSUMER, Role.MAKER})
    assert admin.set_roles(ctx, admin_user, target.id, set()).roles == {Role.CONSUMER}
    assert store.state.users[target.id].roles == {Role.CONSUMER}


def test_removing_roles_notifies_nobody(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    target = _user(ctx, "bo@example.com", {Role.CONSUMER, Role.MAKER})
    admin.set_roles(ctx, admin_user, target.id, {Role.CONSUMER})
    assert store.notifications_for(target.id) == []


def test_an_admin_cannot_remove_their_own_admin_role(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    before = store.snapshot()
    with pytest.raises(InvalidInput) as caught:
        admin.set_roles(ctx, admin_user, admin_user.id, {Role.MODERATOR})
    assert caught.value.key == "error.cannot_demote_self"
    assert store.snapshot() == before


def test_an_admin_may_change_their_other_roles(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    admin.set_roles(ctx, admin_user, admin_user.id, {Role.ADMIN, Role.MAKER})
    assert store.state.users[admin_user.id].roles == {Role.CONSUMER, Role.ADMIN, Role.MAKER}


def test_an_admin_may_demote_another_admin(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    other = admin.create_admin(ctx, email="two@example.com", display_name="Two", password=PASSWORD)
    admin.set_roles(ctx, admin_user, other.id, set())
    assert store.state.users[other.id].roles == {Role.CONSUMER}


@pytest.mark.parametrize("roles", [{Role.CONSUMER}, {Role.CONSUMER, Role.MAKER}, {Role.CONSUMER, Role.MODERATOR}])
def test_only_admins_set_roles(ctx: AppContext, store: FakeStore, roles: set[Role]) -> None:
    actor = _user(ctx, "actor@example.com", roles)
    target = _user(ctx, "bo@example.com")
    with pytest.raises(PermissionDenied):
        admin.set_roles(ctx, actor, target.id, {Role.ADMIN})
    with pytest.raises(NotSignedIn):
        admin.set_roles(ctx, None, target.id, {Role.ADMIN})
    assert store.state.users[target.id].roles == {Role.CONSUMER}


def test_a_suspended_admin_cannot_set_roles(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    target = _user(ctx, "bo@example.com")
    admin_user.status = AccountStatus.SUSPENDED
    with pytest.raises(AccountSuspended):
        admin.set_roles(ctx, admin_user, target.id, {Role.ADMIN})
    assert store.state.users[target.id].roles == {Role.CONSUMER}


def test_setting_roles_of_a_missing_account_is_not_found(ctx: AppContext, admin_user: User) -> None:
    with pytest.raises(NotFound):
        admin.set_roles(ctx, admin_user, 9999, {Role.MAKER})


# ---- list_users and outbox ------------------------------------------------------------------


def test_list_users_for_admins_only(ctx: AppContext, admin_user: User) -> None:
    bo = _user(ctx, "bo@example.com")
    _user(ctx, "cy@example.com")
    people, total = admin.list_users(ctx, admin_user)
    assert total == 3 and [p.email for p in people] == ["root@example.com", "bo@example.com", "cy@example.com"]
    found, _ = admin.list_users(ctx, admin_user, query="  BO@ ")
    assert [p.id for p in found] == [bo.id]
    with pytest.raises(PermissionDenied):
        admin.list_users(ctx, bo)
    with pytest.raises(NotSignedIn):
        admin.list_users(ctx, None)


def test_outbox_is_for_admins_only(ctx: AppContext, admin_user: User) -> None:
    bo = auth.sign_up(ctx, email="bo@example.com", display_name="Bo", password=PASSWORD)
    moderator = _user(ctx, "mod@example.com", {Role.CONSUMER, Role.MODERATOR})
    messages = admin.outbox(ctx, admin_user)
    assert [m.to_address for m in messages] == ["bo@example.com"]
    for actor in (bo, moderator):
        with pytest.raises(PermissionDenied):
            admin.outbox(ctx, actor)
    with pytest.raises(NotSignedIn):
        admin.outbox(ctx, None)


def test_outbox_is_newest_first(ctx: AppContext, admin_user: User) -> None:
    for name in ("a", "b", "c"):
        auth.sign_up(ctx, email=f"{name}@example.com", display_name=name, password=PASSWORD)
    assert [m.to_address for m in admin.outbox(ctx, admin_user)] == [
        "c@example.com", "b@example.com", "a@example.com"]
    assert [m.to_address for m in admin.outbox(ctx, admin_user, limit=1, offset=1)] == ["b@example.com"]


# ---- inbox ----------------------------------------------------------------------------------


def test_inbox_is_private_and_mark_read_clears_only_mine(ctx: AppContext, store: FakeStore,
                                                          admin_user: User) -> None:
    bo = _user(ctx, "bo@example.com")
    cy = _user(ctx, "cy@example.com")
    admin.set_roles(ctx, admin_user, bo.id, {Role.MAKER})
    admin.set_roles(ctx, admin_user, cy.id, {Role.MAKER})
    assert [n.user_id for n in notifications.inbox(ctx, bo)] == [bo.id]
    assert notifications.mark_read(ctx, bo) == 1
    assert notifications.unread_count(ctx, bo) == 0
    assert notifications.unread_count(ctx, cy) == 1
    assert notifications.unread_count(ctx, None) == 0
    with pytest.raises(NotSignedIn):
        notifications.inbox(ctx, None)
    with pytest.raises(NotSignedIn):
        notifications.mark_read(ctx, None)


def test_mark_read_by_id_cannot_touch_someone_elses(ctx: AppContext, store: FakeStore, admin_user: User) -> None:
    bo = _user(ctx, "bo@example.com")
    cy = _user(ctx, "cy@example.com")
    admin.set_roles(ctx, admin_user, cy.id, {Role.MAKER})
    [theirs] = store.notifications_for(cy.id)
    assert notifications.mark_read(ctx, bo, [theirs.id]) == 0
    assert notifications.unread_count(ctx, cy) == 1
