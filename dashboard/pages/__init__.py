"""Dash pages: one module per page, each only ``register_page`` plus a ``layout`` function.

The layout builders live in ``dashboard.views``; Dash executes these files itself, so they
hold nothing other modules import.
"""
