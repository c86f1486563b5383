"""A notification's title: a message id (Chinese, the source language) with named parameters,
rendered in the reader's language when it is read — not frozen in the sender's.

Pure: the caller passes the translate function (``gettext``) in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Params = Mapping[str, str | int | float]


class TitleError(ValueError):
    """A title that cannot be rendered with its parameters."""


def check(title: str, params: Params) -> None:
    """Refuse, at the sender, a title its own parameters do not fill: an empty title, a
    placeholder without a value, a value that is not a plain scalar."""
    if not title.strip():
        raise TitleError("a notification needs a title")
    for name, value in params.items():
        if not isinstance(name, str) or not isinstance(value, str | int | float):
            raise TitleError(f"parameter {name!r} must be text or a number, got {value!r}")
    try:
        title % dict(params)
    except (KeyError, ValueError, TypeError) as error:
        raise TitleError(
            f"title {title!r} does not render with {dict(params)!r}: {error}"
        ) from None


def render(title: str, params: Params, translate: Callable[[str], str] = str) -> str:
    """The title in the active language. A translation that lost or broke a placeholder falls
    back to the source text: a reader sees Chinese rather than an error page."""
    translated = translate(title)
    if not params:
        return translated
    try:
        return translated % dict(params)
    except (KeyError, ValueError, TypeError):
        return title % dict(params)


def is_local_path(url: str) -> bool:
    """A link inside SQM (``/tracing/cases/3/``): never another site, never a scheme."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not any(c.isspace() for c in url)
    )
