"""Admins: what the platform owes each payee, and the payout requests to send or decline."""


import streamlit as st

from lib.domain.accounts import User
from lib.services.ledger import books, payouts
from lib.ui.components import plain
from lib.ui.fmt import day, money
from lib.ui.forms import act, feedback, flash, load, request_key
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user


def _mark_paid(u: User, payout_id: int) -> None:
    """Mark paid, with the reference typed and the one-time key of the form clicked (the click is the
    start of a run that submits, so request_key gives the key the form was drawn with)."""
    scope = f"admin_payouts.paid_{payout_id}"
    payouts.mark_payout_paid(ctx(), u, payout_id, st.session_state.get(f"admin_payouts.ref_{payout_id}", ""),
                             request_key=request_key(scope, True))


user = current_user()
st.title(t("ledger.admin.title"))
flash()
owed, queue = load(lambda: (books.payables(ctx(), user), payouts.payout_queue(ctx(), user)))

st.subheader(t("ledger.admin.queue"), anchor=False)
if not queue:
    st.info(t("ledger.admin.queue_empty"))
for payout, balance in queue:
    with st.container(border=True):
        st.markdown(t("ledger.admin.request_line", name=plain(payout.user_name), amount=money(payout.amount),
                      date=day(payout.created_at), balance=money(balance)))
        if balance.amount < payout.amount.amount:
            st.warning(t("ledger.admin.short_balance", balance=money(balance)))
        slot = f"admin_payouts.{payout.id}"  # a refusal shows at the request
        paid_col, reject_col = st.columns(2)
        with paid_col.form(f"admin_payouts.paid_{payout.id}"):
            st.text_input(t("ledger.admin.transfer_ref"), max_chars=120, key=f"admin_payouts.ref_{payout.id}")
            paid = st.form_submit_button(t("ledger.admin.mark_paid"), type="primary", on_click=act(
                lambda u, p=payout.id: _mark_paid(u, p), t("ledger.admin.marked_paid"), error_slot=slot))
            # Two clicks of one drawing, one payout posted; a paid request leaves the queue and its form with it.
            request_key(f"admin_payouts.paid_{payout.id}", paid)
        with reject_col.form(f"admin_payouts.reject_{payout.id}"):
            st.text_input(t("ledger.admin.reject_note"), max_chars=500, key=f"admin_payouts.note_{payout.id}")
            st.form_submit_button(t("ledger.admin.reject"), on_click=act(
                lambda u, p=payout.id: payouts.reject_payout(ctx(), u, p,
                                                             st.session_state.get(f"admin_payouts.note_{p}", "")),
                t("ledger.admin.rejected"), error_slot=slot))
        feedback(slot)

st.subheader(t("ledger.admin.payables"), anchor=False)
if owed:
    st.dataframe([{t("ledger.col.payee"): p.name, t("ledger.col.email"): p.email,
                   t("ledger.balance"): money(p.balance), t("ledger.pending"): money(p.pending),
                   t("ledger.available"): money(p.available)} for p in owed], hide_index=True, width="stretch")
else:
    st.info(t("ledger.admin.payables_empty"))
