"""The one way text from the data reaches a page: Jinja templates with autoescape, and `md_escape` for Markdown.

nbconvert passes raw HTML through Markdown, so data text in a Markdown output must be escaped for both HTML and
Markdown; HTML outputs come from the templates in templates/parts/, where every value is escaped."""

from __future__ import annotations

import html
import re
from functools import cache

import jinja2
from IPython.display import HTML

from analysis import settings

# Markdown punctuation that can start a link, an image, emphasis, code, a heading or a list; ":" stops autolinks.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(settings.PACKAGE_DIR / "templates" / "parts"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.tests["web_url"] = is_web_url
    return env


def render(template: str, **context) -> str:
    """A template of templates/parts/ rendered with every value escaped."""
    return environment().get_template(template).render(**context)


def part(template: str, **context) -> HTML:
    """`render` as a notebook output."""
    return HTML(render(template, **context))


def md_escape(text) -> str:
    """Text shown literally inside Markdown: HTML special characters as entities, Markdown punctuation
    backslash-escaped (no links, images, emphasis or raw HTML can come out of it)."""
    return html.escape(_MD_SPECIAL.sub(r"\\\1", str(text)), quote=False)


def is_web_url(url) -> bool:
    """Only http(s) addresses become links: no javascript:, data: or relative tricks from the data."""
    return isinstance(url, str) and re.match(r"https?://[^\s\"'<>]+$", url) is not None
