"""Unknown paths: a short page with a link to the overview."""

from dashboard.page_contract import Page
from dashboard.views import not_found

PAGE = Page(
    path="/404",
    nav_key=None,
    layout=not_found.layout,
    update=None,
    download=None,
    content_ids=(not_found.TITLE,),
    title="Siden findes ikke – KEOB",
    needs_data=False,
)
PAGE.register_page(__name__)
