"""Pure figure builders, one module per page plus ``common``: frames in, Plotly figures out.

No store access and no Dash state here; the views pass the frames in.
"""
