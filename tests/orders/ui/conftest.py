"""The AppTest fixtures of tests/ui (one app context over a demo-seeded SQLite database), reused here."""

from tests.ui.conftest import (  # noqa: F401 - fixtures, registered by being imported into this conftest
    app_ctx,
    demo_users,
    make_app,
    navigation_owns_routing,
    new_account,
)
