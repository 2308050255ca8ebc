from lib.services import accounts


def test_sign_up_then_sign_in_on_both_databases(ctx):
    user = accounts.sign_up(ctx, email="a@example.com", display_name="A", password="long-enough-pw")
    signed = accounts.sign_in(ctx, email="A@example.com ", password="long-enough-pw")
    assert signed.user.id == user.id
