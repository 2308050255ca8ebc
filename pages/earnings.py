"""My earnings as maker, creator, co-creator and referrer; my statement (CSV); payout requests."""

import streamlit as st

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.domain.ledger import PayoutStatus
from lib.domain.money import Money
from lib.services.ledger import books, payouts
from lib.ui.fmt import day, money, when
from lib.ui.forms import act, feedback, flash, money_field, request_key
from lib.ui.i18n import current_language, t
from lib.ui.session import ctx, require_user

STATUS_KEYS = {PayoutStatus.REQUESTED: "ledger.payout.requested", PayoutStatus.PAID: "ledger.payout.paid",
               PayoutStatus.REJECTED: "ledger.payout.rejected"}
PAYOUT, AMOUNT = "earnings.payout", "earnings.payout_amount"  # the form (and its request_key scope), its field
SENT, OUTCOME = f"{PAYOUT}.sent", f"{PAYOUT}.outcome"  # not the form's key: st.form refuses state under it


def _request_payout(u: User, currency: str) -> int:
    """The payout form's click: the amount typed, with the one-time key of the form clicked (the click
    is the start of a run that submits, so request_key gives the key the form was drawn with)."""
    try:
        amount = Money.parse_major(st.session_state.get(AMOUNT) or "", currency)
    except ValueError:
        raise InvalidInput("error.amount_format") from None
    return payouts.request_payout(ctx(), u, amount, request_key=request_key(PAYOUT, True))


def _sent() -> None:
    st.session_state[AMOUNT] = ""  # cleared once requested: a refused amount stays to be corrected
    st.session_state[SENT] = True


user = require_user()

st.title(t("ledger.title"))
flash()
st.caption(t("ledger.subtitle"))
mine = books.earnings(ctx(), user)
currency = mine.balance.currency

lang = current_language()
for column, (role, total) in zip(st.columns(4), mine.by_role.items(), strict=True):
    column.metric(books.role_name(role, lang), money(total))
balance_col, pending_col, available_col = st.columns(3)
balance_col.metric(t("ledger.balance"), money(mine.balance))
pending_col.metric(t("ledger.pending"), money(mine.pending))
available_col.metric(t("ledger.available"), money(mine.available))

st.subheader(t("ledger.request_payout"), anchor=False)
with st.form(PAYOUT):
    st.caption(t("ledger.payout_available", amount=money(Money(max(mine.available.amount, 0), currency))))
    money_field(t("ledger.payout_amount"), currency, AMOUNT,
                example=mine.available if mine.available.amount > 0 else None)
    payout_submitted = st.form_submit_button(t("ledger.payout_submit"), on_click=act(
        lambda u, c=currency: _request_payout(u, c), t("ledger.payout_requested"), slot=OUTCOME, then=_sent))
    # Two clicks of one drawing, one request. After a request this run draws the form anew, as the run
    # after one did when the request made a second run: the form drawn now gets a new key.
    sent = st.session_state.pop(SENT, False)
    request_key(PAYOUT, payout_submitted and not sent)
feedback(OUTCOME)

st.subheader(t("ledger.statement"), anchor=False)
rows = books.statement(ctx(), user)
if rows:
    st.dataframe([{t("ledger.csv.date"): when(r.at), t("ledger.csv.order"): str(r.order_id or ""),
                   t("ledger.csv.product"): books.describe(r, lang),
                   t("ledger.csv.role"): books.role_name(r.account, lang),
                   t("ledger.col.amount"): money(r.amount), t("ledger.col.balance"): money(r.balance)}
                  for r in reversed(rows)], hide_index=True, width="stretch")
    csv_bytes = books.statement_csv(ctx(), user, lang=lang).encode("utf-8-sig")  # BOM: spreadsheets read UTF-8
    st.download_button(t("ledger.download_csv"), data=csv_bytes,
                       file_name="cocreate-statement.csv", mime="text/csv", key="earnings.csv")
else:
    st.info(t("ledger.statement_empty"))

st.subheader(t("ledger.payouts"), anchor=False)
history = payouts.my_payouts(ctx(), user)
if history:
    st.dataframe([{t("ledger.col.date"): day(p.created_at), t("ledger.col.amount"): money(p.amount),
                   t("ledger.col.status"): t(STATUS_KEYS[p.status]),
                   t("ledger.col.reference"): p.transfer_ref or "", t("ledger.col.note"): p.note}
                  for p in history], hide_index=True, width="stretch")
else:
    st.caption(t("ledger.payouts_empty"))
