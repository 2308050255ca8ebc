"""Admins: what the platform owes each payee, and the payout requests to send or decline."""

import streamlit as st

from lib.services.ledger import books, payouts
from lib.ui.components import plain
from lib.ui.forms import attempt, flash, load, request_key
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user

user = current_user()
st.title(t("ledger.admin.title"))
flash()
owed, queue = load(lambda: (books.payables(ctx(), user), payouts.payout_queue(ctx(), user)))

st.subheader(t("ledger.admin.queue"), anchor=False)
if not queue:
    st.info(t("ledger.admin.queue_empty"))
for payout, balance in queue:
    with st.container(border=True):
        st.markdown(t("ledger.admin.request_line", name=plain(payout.user_name), amount=payout.amount.format(),
                      date=f"{payout.created_at:%Y-%m-%d}", balance=balance.format()))
        if balance.amount < payout.amount.amount:
            st.warning(t("ledger.admin.short_balance", balance=balance.format()))
        paid_col, reject_col = st.columns(2)
        with paid_col.form(f"admin_payouts.paid_{payout.id}"):
            ref = st.text_input(t("ledger.admin.transfer_ref"), max_chars=120, key=f"admin_payouts.ref_{payout.id}")
            paid = st.form_submit_button(t("ledger.admin.mark_paid"), type="primary")
            paid_key = request_key(f"admin_payouts.paid_{payout.id}", paid)  # two clicks, one payout posted
            if paid:
                attempt(lambda p=payout.id, r=ref, k=paid_key: payouts.mark_payout_paid(ctx(), user, p, r,
                                                                                       request_key=k),
                        t("ledger.admin.marked_paid"))
        with reject_col.form(f"admin_payouts.reject_{payout.id}"):
            note = st.text_input(t("ledger.admin.reject_note"), max_chars=500, key=f"admin_payouts.note_{payout.id}")
            if st.form_submit_button(t("ledger.admin.reject")):
                attempt(lambda p=payout.id, n=note: payouts.reject_payout(ctx(), user, p, n),
                        t("ledger.admin.rejected"))

st.subheader(t("ledger.admin.payables"), anchor=False)
if owed:
    st.dataframe([{t("ledger.col.payee"): p.name, t("ledger.col.email"): p.email,
                   t("ledger.balance"): p.balance.format(), t("ledger.pending"): p.pending.format(),
                   t("ledger.available"): p.available.format()} for p in owed], hide_index=True, width="stretch")
else:
    st.info(t("ledger.admin.payables_empty"))
