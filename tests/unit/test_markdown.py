"""The Markdown sanitiser: whatever people type, no script, style, frame, handler or
javascript:/data: URL comes out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.ui.markdown import render

DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "img",
                  "form", "input", "button", "meta", "link", "base", "textarea", "template", "audio", "video"}
BAD_SCHEMES = re.compile(r"^(javascript|data|vbscript|file):", re.IGNORECASE)
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
RAW_TAGS = re.compile(r"<\s*/?\s*(script|style|iframe)\b", re.IGNORECASE)


class _Markup(HTMLParser):
    """Collects every element and attribute the browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def _problems(html: str) -> list[str]:
    markup = _Markup()
    markup.feed(html)
    markup.close()
    found = [f"<{tag}>" for tag in markup.tags if tag in DANGEROUS_TAGS]
    found += [f"{name}=" for name, _ in markup.attrs if name.lower().startswith("on") or name.lower() == "style"]
    for name, value in markup.attrs:
        # As URL parsing does: tab and newline vanish anywhere, controls and spaces at either end.
        squeezed = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
        if name.lower() in URL_ATTRS and BAD_SCHEMES.match(squeezed):
            found.append(f"{name}={value}")
    if RAW_TAGS.search(html):
        found.append("raw tag")
    return found


def _assert_safe(html: str) -> None:
    assert _problems(html) == [], html


# ---- the checker itself must catch what it is meant to ----------------------------------------


@pytest.mark.parametrize("bad", [
    "<script>x</script>", "<STYLE>a{}</STYLE>", "<iframe src=//x>", '<a href="javascript:x">a</a>',
    '<a href=" JaVa&#x09;ScRiPt:x">a</a>', '<a href="data:text/html,x">a</a>', '<p onclick="x">a</p>',
    '<img src=x onerror=alert(1)>',
])
def test_the_checker_notices_danger(bad: str) -> None:
    assert _problems(bad)


# ---- fixed cases ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "hello <script\n>alert(1)</script\n> world",
    "<style>body{display:none}</style>",
    "<iframe src='https://evil.example'></iframe>",
    "<IFRAME SRCDOC='<script>alert(1)</script>'>",
])
def test_script_style_and_iframe_never_survive(text: str) -> None:
    html = render(text)
    _assert_safe(html)
    assert not re.search(r"<\s*(script|style|iframe)", html, re.IGNORECASE)


@pytest.mark.parametrize("text", [
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">click</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">link</a>',
    "<b ONERROR=alert(1)>bold</b>",
    '<svg onload="alert(1)"></svg>',
])
def test_event_handlers_never_survive(text: str) -> None:
    html = render(text)
    _assert_safe(html)
    assert not re.search(r"\bon(error|click|mouseover|load)\s*=", html, re.IGNORECASE)


@pytest.mark.parametrize("text", [
    "[click](javascript:alert(1))",
    "[click](JavaScript:alert(document.cookie))",
    "[click]( javascript:alert(1) )",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    "![img](javascript:alert(1))",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
])
def test_javascript_and_data_links_never_survive(text: str) -> None:
    html = render(text)
    _assert_safe(html)
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|data):", html, re.IGNORECASE)


def test_ordinary_markdown_still_renders() -> None:
    html = render("# Title\n\n**bold** and *em* and `code`\n\n- one\n- two\n\n[site](https://example.com)\n\n"
                  "| a | b |\n|---|---|\n| 1 | 2 |")
    for fragment in ("<h1>Title</h1>", "<strong>bold</strong>", "<em>em</em>", "<code>code</code>",
                     "<li>one</li>", "<table>", "<td>1</td>"):
        assert fragment in html
    assert 'href="https://example.com"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(("text", "kept"), [
    ("[mail](mailto:ana@example.com)", True),
    ("[web](http://example.com)", True),
    ("[call](tel:+821012345678)", False),
    ("[file](file:///etc/passwd)", False),
    ("[ftp](ftp://example.com/x)", False),
])
def test_links_are_web_or_mail_only(text: str, kept: bool) -> None:
    assert ("href=" in render(text)) is kept


def test_markup_in_text_is_shown_escaped() -> None:
    assert "&lt;script&gt;" in render("`<script>alert(1)</script>`")


@pytest.mark.parametrize("text", ["", None])
def test_empty_input(text: str | None) -> None:
    assert render(text) == ""  # type: ignore[arg-type]


# ---- property: hostile mixtures -------------------------------------------------------------

HOSTILE = [
    "<script>", "</script>", "<SCRIPT>", "<scr", "ipt>", "<style>", "</style>", "<iframe", "</iframe>",
    " onerror=", " ONERROR=", " onload=", "onclick=\"", "alert(1)", "javascript:", "JaVaScRiPt:", "java\tscript:",
    "data:text/html,", "data:image/svg+xml;base64,", "&#106;", "&#x6A;", "&colon;", "<img src=x",
    "<a href=", "<a href=\"", "<svg", "<math>", "<object data=", "<embed src=", "<form action=",
    "<!--", "-->", "<![CDATA[", "]]>", "\x00", "<", ">", "\"", "'", "=", "/", " ",
]
MARKDOWN = [
    "[", "]", "(", ")", "![", "](", "**", "_", "`", "```\n", "\n", "\n\n", "> ", "- ", "1. ", "# ",
    "| a | b |\n|---|---|\n", "[x]: ", "<", ">", "\\", "    ",
]
pieces = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(MARKDOWN), st.text(max_size=6))


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(pieces, max_size=30).map("".join))
def test_no_hostile_mixture_survives(text: str) -> None:
    _assert_safe(render(text))


@settings(max_examples=200, deadline=None, database=None)
@given(st.sampled_from(["javascript", "JAVASCRIPT", "data", "DaTa", "vbscript"]),
       st.sampled_from(["", " ", "\t", "&#09;", "&#x0A;", "\n"]),
       st.sampled_from(["[x](", '<a href="', "<a href=", "![x](", "[x]: "]))
def test_no_link_spelling_of_a_bad_scheme_survives(scheme: str, gap: str, opener: str) -> None:
    url = f"{scheme[:3]}{gap}{scheme[3:]}:alert(1)"
    closer = ")" if opener.endswith("(") else '">x</a>' if opener.endswith('"') else ">x</a>"
    text = f"[x][r]\n\n{opener}{url}\n" if opener == "[x]: " else f"{opener}{url}{closer}"
    _assert_safe(render(text))
