"""The AppTest fixtures of tests/ui (one demo-seeded app context for this folder)."""

from tests.ui.conftest import (  # noqa: F401 - pytest finds fixtures by name
    app_ctx,
    demo_users,
    make_app,
    navigation_owns_routing,
    new_account,
)
