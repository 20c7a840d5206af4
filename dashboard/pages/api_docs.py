"""API (/api): the human-readable description of ``/api/v1``, generated from its route table."""

from dashboard.page_contract import Page
from dashboard.views import api_docs

PAGE = Page(
    path=api_docs.PATH,
    nav_key=api_docs.NAV_KEY,
    layout=api_docs.layout,
    update=None,
    download=None,
    content_ids=(api_docs.ROUTES_SECTION,),
    title="API – KEOB",
    needs_data=False,
    order=95,
)
PAGE.register_page(__name__)
