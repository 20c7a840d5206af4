"""Application services: where the calculators of ``indicators`` meet the store (``db``).

``monitor.Monitor`` is the read model (every read the app, the API and the CLI make);
``export`` builds the export tables from it; ``initiatives`` reads the action plan's
register; ``imports`` runs every import kind of ``indicators.importers.registry`` from
parser to writer. The calculators (every other ``indicators`` module) are pure pandas and
never import ``db``; the dashboard imports ``db`` only for its engine (``db.engine``).
import-linter checks both (``pyproject.toml``).
"""
