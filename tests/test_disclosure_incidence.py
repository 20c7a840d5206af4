"""The sparse incidence matrix of the disclosure control gives the dense blocks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from indicators import disclosure


def _incidence(dense: np.ndarray) -> disclosure._Incidence:
    cells, variables = np.nonzero(dense)
    # Entries in a scrambled order, one repeated: the matrix is still the 0/1 pattern.
    order = np.random.default_rng(0).permutation(cells.size)
    cells, variables = cells[order], variables[order]
    if cells.size:
        cells, variables = np.append(cells, cells[0]), np.append(variables, variables[0])
    return disclosure._Incidence(dense.shape[0], dense.shape[1], cells, variables)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.bool_,
        st.tuples(st.integers(1, 12), st.integers(1, 12)),
        elements=st.booleans(),
    ).map(lambda a: a.astype(float)),
    st.data(),
)
def test_every_indexing_the_solver_uses_matches_the_dense_matrix(dense, data) -> None:
    a = _incidence(dense)
    n_cells, n_vars = dense.shape
    rows = np.array(data.draw(st.lists(st.integers(0, n_cells - 1), max_size=8)), dtype=int)
    cols = np.array(
        data.draw(st.lists(st.integers(0, n_vars - 1), max_size=8, unique=True)), dtype=int
    )
    cell = data.draw(st.integers(0, n_cells - 1))
    var = data.draw(st.integers(0, n_vars - 1))
    assert a.shape == dense.shape
    np.testing.assert_array_equal(a[np.ix_(rows, cols)], dense[np.ix_(rows, cols)])
    np.testing.assert_array_equal(a[rows], dense[rows])
    np.testing.assert_array_equal(a[cell], dense[cell])
    np.testing.assert_array_equal(a[rows, var], dense[rows, var])
    np.testing.assert_array_equal(a[cell, cols], dense[cell, cols])
    assert a[cell, var] == dense[cell, var]
    np.testing.assert_array_equal(a.any_rows(rows), dense[rows].any(axis=0))
    assert a[np.ix_(rows, cols)].shape == (rows.size, cols.size)
