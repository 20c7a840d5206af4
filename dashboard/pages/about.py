"""Om data (/om): the registry, sources and licences, the demo-data statement."""

from dashboard.page_contract import Page
from dashboard.views import about

PAGE = Page(
    path="/om",
    nav_key="nav.about",
    layout=about.layout,
    update=None,
    download=None,
    content_ids=(about.REGISTRY_SECTION,),
    title="Om data – KEOB",
    needs_data=False,
    order=90,
)
PAGE.register_page(__name__)
