"""The AppTest fixtures of tests/ui (one app context over a demo-seeded data dir, for this package)."""

from tests.ui.conftest import app_ctx, demo_users, make_app, navigation_owns_routing, new_account

__all__ = ["app_ctx", "demo_users", "make_app", "navigation_owns_routing", "new_account"]
