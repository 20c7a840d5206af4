"""Tilgængelighedserklæring (/tilgaengelighed): the accessibility statement, linked from
every page's footer."""

from dashboard.page_contract import Page
from dashboard.views import accessibility

PAGE = Page(
    path=accessibility.PATH,
    nav_key=None,
    layout=accessibility.layout,
    update=None,
    download=None,
    content_ids=(accessibility.STATEMENT,),
    title="Tilgængelighedserklæring – KEOB",
    needs_data=False,
)
PAGE.register_page(__name__)
