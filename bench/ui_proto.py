"""A Streamlit session over the websocket protocol, without a browser (for load on the server alone).

What the browser frontend does, as far as a run needs it (read off streamlit/proto/*.proto and the
websocket handler in streamlit/web/server/starlette/starlette_websocket.py):
- Handshake: `ws://host/_stcore/stream`, subprotocol `streamlit` (the frontend repurposes the
  header's later entries for an XSRF token and a session id to resume; neither is needed: without
  the XSRF token the server only skips reading Streamlit's own st.login cookie), the app's own
  Origin (the app's middleware refuses foreign ones), and the sign-in cookie in a Cookie header,
  which the app reads through st.context.cookies.
- A run: send BackMsg.rerun_script with a ClientState (query string, page_script_hash or
  page_name, widget states), then read ForwardMsgs until `script_finished` with a status other than
  FINISHED_EARLY_FOR_RERUN (an `st.rerun()` or `st.switch_page` chain ends in its last run). Each
  run starts with a `new_session` message; `page_info_changed` carries a new query string and
  `navigation` the current page's hash after a switch_page.
- Widgets come in the run's deltas (`new_element`), each with its id (`$$ID-<hash>-<key>` for a
  keyed widget, `...-FormSubmitter:<form>-<label>` for a form's submit button). A click is a rerun
  whose widget states hold that button's `trigger_value=True`; a segmented control's value is a
  `string_array_value` of the option's shown text. Widgets not sent keep their values (the server
  keeps the last state of every widget), so only the one that changes is sent.
- Fragments with `run_every` are driven by the browser (the server sends `auto_rerun` and the
  frontend reruns the fragment on its timer): this client does not tick them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RUN_TIMEOUT_S = 60


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str] = field(default_factory=list)


class ProtocolError(RuntimeError):
    pass


class Session:
    """One browser tab's worth of Streamlit session, driven over the websocket."""

    def __init__(self, base_url: str, cookie: tuple[str, str] | None = None) -> None:
        self.base_url = base_url
        self.cookie = cookie
        self.ws: websockets.ClientConnection | None = None
        self.widgets: list[Widget] = []
        self.texts: list[str] = []
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page_script_hash

    async def connect(self) -> None:
        headers = {"Cookie": f"{self.cookie[0]}={self.cookie[1]}"} if self.cookie else {}
        self.ws = await websockets.connect(
            self.base_url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.base_url, additional_headers=headers, max_size=None, open_timeout=30)  # type: ignore[arg-type]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def open(self, path: str = "", query: str = "") -> float:
        """Open a page by its url path (as following a link in the app does): ms until its run ended."""
        return await self._run(page_name=path, query=query, page_hash=self.pages.get(path, ""))

    async def click(self, widget: Widget) -> float:
        return await self._run(states=[WidgetState(id=widget.id, trigger_value=True)])

    async def choose(self, widget: Widget, option: str) -> float:
        state = WidgetState(id=widget.id)
        state.string_array_value.data.append(option)
        return await self._run(states=[state])

    def find(self, kind: str, *, key: str | None = None, label: str | None = None,
             form: str | None = None) -> Widget | None:
        """A widget of this run by its key, its label, or (a submit button) its form's key."""
        for w in self.widgets:
            if w.kind == kind and (key is None or w.id.endswith("-" + key)) and (label is None or w.label == label) \
                    and (form is None or f"-FormSubmitter:{form}-" in w.id):
                return w
        return None

    def keyed(self, kind: str, prefix: str) -> list[Widget]:
        return [w for w in self.widgets if w.kind == kind and w.id.split("-", 2)[-1].startswith(prefix)]

    async def _run(self, *, page_name: str | None = None, query: str | None = None, page_hash: str | None = None,
                   states: list[WidgetState] | None = None) -> float:
        if self.ws is None:
            raise ProtocolError("not connected")
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query if query is None else query
        rerun.page_script_hash = self.page_hash if page_hash is None else page_hash
        if page_name is not None:
            rerun.page_name = page_name
        rerun.widget_states.widgets.extend(states or [])
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = started + RUN_TIMEOUT_S
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished in {RUN_TIMEOUT_S}s")
            raw = await _recv(self.ws, remaining)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.widgets, self.texts = [], []
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note(fwd.delta.new_element)
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "session_event" and fwd.session_event.HasField("script_compilation_exception"):
                raise ProtocolError("script compilation error")
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if page_name is not None:
                    self.query = rerun.query_string
                return (time.perf_counter() - started) * 1000

    def _note(self, element: object) -> None:
        kind = element.WhichOneof("type")  # type: ignore[attr-defined]
        body = getattr(element, kind)
        if kind in ("markdown", "heading", "alert"):
            self.texts.append(body.body)
        wid = getattr(body, "id", "")
        if wid:
            options = [o.content for o in getattr(body, "options", [])] if kind == "button_group" else []
            self.widgets.append(Widget(wid, kind, getattr(body, "label", ""), options))

    def has_text(self, text: str) -> bool:
        return any(text in t for t in self.texts)


async def _recv(ws: websockets.ClientConnection, timeout: float) -> bytes:
    raw = await asyncio.wait_for(ws.recv(), timeout)
    if isinstance(raw, str):
        raise ProtocolError("text frame from the server")
    return raw
