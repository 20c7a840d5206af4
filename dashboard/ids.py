"""Component ids, in one place so layouts and callbacks cannot drift apart."""

# App shell (app.py layout)
URL = "url"  # the one URL-state Location; callbacks write only its ``search``
NAVIGATE = "navigate"  # write-only Location for programmatic navigation (map click, picker)
HEADER = "site-header"
FOOTER = "site-footer"
HTML_LANG = "html-lang-sink"
AREA_SEARCH = "area-search"  # the header's search box (dashboard/area_index.py)
AREA_SEARCH_LIST = "area-search-list"  # its datalist of suggestions

# Overblik
OVERVIEW_BASELINE = "overview-baseline"
OVERVIEW_CARDS = "overview-cards"
OVERVIEW_DEMO = "overview-demo"

# Kort
MAP_CRITERION = "map-criterion"
MAP_YEAR = "map-year"
MAP_LEVEL = "map-level"
MAP_GRAPH = "map-graph"
MAP_CAPTION = "map-caption"
MAP_DEMO = "map-demo"
MAP_TABLE_LINK = "map-table-link"

# Områdeprofil
PROFILE_PICKER = "profile-picker"
PROFILE_GRAPH = "profile-graph"

# Data
DATA_LEVEL = "data-level"
DATA_CRITERIA = "data-criteria"
DATA_YEARS = "data-years"
DATA_PREVIEW = "data-preview"
DATA_DEMO = "data-demo"
DATA_DOWNLOAD_BUTTON = "data-download-button"
DATA_DOWNLOAD = "data-download"
