"""What every page in ``dashboard/pages/`` declares: one :class:`Page`, registered once.

A page is three modules: ``dashboard/pages/x.py`` (this declaration and the page's
callbacks, nothing else), ``dashboard/views/x.py`` (plain functions: the layout and the
callback bodies) and ``dashboard/figures/x.py`` (Plotly figures). ``tests/test_app_routes.py``
checks every registered page against this contract and that requesting its path renders
the page's own ``content_ids``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dash
from dash import html
from sqlalchemy.exc import SQLAlchemyError

from dashboard import data
from dashboard.i18n import normalise_lang, t

log = logging.getLogger(__name__)

#: The notice shown in place of a page whose data could not be read (it recovers on the
#: next load once the store answers again).
UNAVAILABLE_NOTICE = "store-unavailable-notice"
#: The notice shown in place of a page that needs data while the store holds none.
EMPTY_NOTICE = "store-empty-notice"


def notice(notice_id: str, key: str, lang: str) -> html.Div:
    """A page-sized notice: the texts ``store.<key>.title`` and ``store.<key>.body``."""
    return html.Div(
        [html.H1(t(f"store.{key}.title", lang)), html.P(t(f"store.{key}.body", lang))],
        id=notice_id,
        role="alert",
        className="notice notice-error",
    )


def unavailable_notice(lang: str) -> html.Div:
    return notice(UNAVAILABLE_NOTICE, "unavailable", lang)


@dataclass(frozen=True)
class Page:
    #: The route; a template such as ``/omraade/<area_code>`` for a parametrised page.
    path: str
    #: ``dashboard.i18n`` key of the menu entry; None keeps the page out of the menu.
    nav_key: str | None
    #: Builds the page from the URL query (and path variables): ``layout(lang=…, **params)``.
    layout: Callable[..., Any]
    #: Callback body answering the page's controls (None for a static page).
    update: Callable[..., Any] | None
    #: Callback body sending the page's download (None when it offers none).
    download: Callable[..., Any] | None
    #: Component ids only this page renders: the route test looks for them.
    content_ids: tuple[str, ...]
    title: str
    #: Menu position (smaller first).
    order: int | None = None
    #: The menu's link when ``path`` is a template.
    nav_path: str | None = None
    #: Path variables used to render a template path in tests (``{"area_code": "ub-alle"}``).
    example_params: dict[str, str] = field(default_factory=dict)
    #: False for pages that render without observations (about, API docs, not found).
    needs_data: bool = True

    @property
    def is_template(self) -> bool:
        return "<" in self.path

    @property
    def example_path(self) -> str:
        """``path`` with ``example_params`` filled in."""
        path = self.path
        for name, value in self.example_params.items():
            path = path.replace(f"<{name}>", value)
        return path

    def register_page(self, module: str) -> None:
        """``dash.register_page`` for the page module ``module`` (its ``__name__``).

        Named so on purpose: Dash imports only the files of ``pages/`` that contain the
        text ``register_page``.
        """
        view_layout = self.layout

        def layout(lang: object = None, **params: object) -> Any:
            lang = normalise_lang(lang)
            try:
                # A store that is migrated but not yet loaded is a state, not an error.
                if self.needs_data and not data.years():
                    return notice(EMPTY_NOTICE, "empty", lang)
                return view_layout(lang=lang, **params)
            except SQLAlchemyError:
                # Logged by name only: the page says the data is away, never why in detail.
                log.error("page %s: the store did not answer", self.path)
                return unavailable_notice(lang)

        route = {"path_template": self.path} if self.is_template else {"path": self.path}
        extra = {"nav_key": self.nav_key} if self.nav_key else {}
        if self.nav_path:
            extra["nav_path"] = self.nav_path
        dash.register_page(
            module, title=self.title, order=self.order, layout=layout, **route, **extra
        )
