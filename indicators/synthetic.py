"""SYNTHETIC DEMO DATA generator: deterministic demo series per rode, flagged synthetic.

The numbers this module makes are **not official statistics**. They exist so that the
app can show all eight follow-up criteria for 2008-2025 while the real series are only
available for a few indicators up to 2013/2014. Every assumption and calibration target
is documented in ``docs/demodata.md``; the constants below carry their sources.

Model, per criterion ``c``, rode ``r`` and year ``t`` (``p`` is the rode's rate)::

    logit p[c,r,t] = base[c,r] + walk[c,r,t] + shift[c, group(r), t]
    numerator      ~ Binomial(denominator[c,r,t], p[c,r,t])

* ``base``: for criteria with real data (``uddannelse``, ``indkomst``) the rode's own
  real rate (shrunk towards its group mean with 10 pseudo-observations), carried on
  from the rode's last real year and interpolated (on the logit scale) over gaps; for
  the other criteria a deprivation loading on an index built from the rode's real
  education and income levels, plus a rode-specific random effect.
* ``walk``: a small rode-specific random walk (starts at 0 at the seam).
* ``shift``: solved each year, separately for the udsatte roder and for the rest of the
  city, so that the denominator-weighted expected rate of each group hits the target
  ``city level`` and ``gap`` (udsat minus rest) of that year. Targets are linear
  between the knots in :data:`SPECS`; for the criteria with real data the path starts
  at the level and gap measured in the real data in the last real year (no jump).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.importers.real_series import AgeBandError
from indicators.importers.real_series import check_age_bands as _check_real_bands
from indicators.registry import age_band_label, load_registry

COLUMNS = ["area_code", "indicator", "year", "numerator", "denominator", "synthetic", "source"]

SOURCE = (
    "SYNTETISKE DEMODATA - ikke officiel statistik. KEOB-demogenerator "
    "(indicators/synthetic.py, seed {seed}); kalibreret til offentliggjorte niveauer for "
    "København, se docs/demodata.md."
)

# --- Population -----------------------------------------------------------------------
#: Copenhagen Municipality, residents on 1 January (calibration.md §0.1). 2014 is KK's
#: age table (kk_befkbhalderkoencivst, year 2014), the base of the fixed-address ratio.
#: 2016, 2019 and 2024 are not used from the sources (missing, or not 1 January) and are
#: interpolated geometrically. After 2025 the 2021-2025 mean growth continues.
CITY_POPULATION: dict[int, int] = {
    2014: 570_172,
    2015: 580_295,
    2017: 602_481,
    2018: 611_993,
    2020: 632_340,
    2021: 638_147,
    2022: 644_431,
    2023: 653_664,
    2025: 667_099,
}

#: Age-structure constants from KK's age table for 2014 (kk_befkbhalderkoencivst):
#: 16-17-year-olds per child 0-17 (8,624 / 100,450) and 25-year-olds per resident
#: 18-64 (15,772 / 410,632).
SHARE_16_17_OF_0_17 = 8_624 / 100_450
SHARE_25_OF_18_64 = 15_772 / 410_632
#: City shares used only for a rode with residents but no age information (2014, real data).
DEFAULT_SHARE_16_64 = 0.7353
DEFAULT_SHARE_18_PLUS = 0.8238

#: Survey respondents city-wide per year (both surveys), drawn uniformly in this range.
SURVEY_RESPONDENTS = (4_000, 5_000)

#: Years of the Sundhedsprofil survey behind `sundhed` (see its spec).
SUNDHEDSPROFIL_YEARS = frozenset({2010, 2013, 2017, 2021, 2025})

#: Pseudo-observations used to shrink small roder's real rates towards their group mean.
SHRINK_PSEUDO_N = 10.0


@dataclass(frozen=True)
class CriterionSpec:
    """How one criterion is generated. Levels are percentages of the denominator."""

    code: str
    denominator: str  # pop_18_plus, pop_16_64, pop_18_64, pop_25, pop_0_17 or survey
    knots: dict[int, tuple[float, float]]  # year -> (city level %, gap udsat - rest, pp)
    loading: float  # logit effect of one SD of the deprivation index
    spread: float  # logit SD of the rode random effect
    drift: float  # logit SD of the yearly random-walk step
    continues_real: bool = False
    # Survey years of a survey that is not yearly; None = a value every year.
    measured_years: frozenset[int] | None = None


SPECS: tuple[CriterionSpec, ...] = (
    # Low income, 18+. Real to 2013 (city ~33.6 %, udsat 39.9 vs rest 31.9 %). KK (2017):
    # 2015 worse than 2011 and the udsatte fell further behind -> gap widens to 2016;
    # narrows after (afsluttende status 2025: distance narrowed, large differences remain).
    CriterionSpec(
        "indkomst",
        "pop_18_plus",
        {2016: (34.0, 8.6), 2019: (33.5, 8.0), 2025: (32.5, 6.5)},
        0.40,
        0.15,
        0.03,
        continues_real=True,
    ),
    # Basic schooling only, 16-64. Real to 2014 (20.5 %, udsat 30.4 vs rest 17.7 %).
    CriterionSpec(
        "uddannelse",
        "pop_16_64",
        {2016: (20.0, 13.2), 2020: (18.5, 12.5), 2025: (16.5, 11.0)},
        0.40,
        0.15,
        0.03,
        continues_real=True,
    ),
    # Outside work and education, 18-64. No published city figure: 10-15 % is an
    # assumption. Crisis peak 2011-2015 (KK: worse in 2015 than 2011), COVID bump 2020.
    CriterionSpec(
        "arbejdsmarked",
        "pop_18_64",
        {
            2008: (11.5, 9.0),
            2011: (13.0, 9.5),
            2015: (13.0, 10.5),
            2019: (11.0, 9.0),
            2020: (12.0, 9.5),
            2022: (11.0, 8.5),
            2025: (10.5, 8.0),
        },
        0.35,
        0.25,
        0.04,
    ),
    # 25-year-olds with youth education (polarity +1). KK 90 % in 2021. Gap WIDENS
    # (assumption: growth driven by educated newcomers, KK raised-in 77 % vs moved-in 94 %).
    CriterionSpec(
        "ungdomsuddannelse",
        "pop_25",
        {2008: (85.0, -8.0), 2014: (87.0, -8.5), 2021: (90.0, -9.5), 2025: (91.0, -10.5)},
        -0.35,
        0.25,
        0.04,
    ),
    # Child poverty, 0-17 (DST measure). AE: 6,460 (2020) -> 5,949 (2022) children in KK,
    # i.e. ~5.9 % -> 5.3 %; KK budget method 4 % (2021); ~1 in 10 around 2010 (older
    # measure). Brønshøj-Husum 9.2 % vs city 4.5 % -> udsatte about twice the city.
    CriterionSpec(
        "boernefattigdom",
        "pop_0_17",
        {
            2008: (7.0, 8.0),
            2011: (7.5, 8.5),
            2017: (7.0, 8.0),
            2020: (5.9, 6.5),
            2022: (5.3, 6.0),
            2025: (5.0, 5.5),
        },
        0.45,
        0.30,
        0.05,
    ),
    # Less good or poor self-rated health, 16+, survey. KK 14.3 % in 2021 (Danskernes
    # Sundhed). Gap WIDENS (assumption; health named first among remaining differences).
    CriterionSpec(
        "sundhed",
        "survey",
        {
            2008: (15.5, 6.5),
            2013: (15.0, 7.0),
            2017: (14.6, 7.5),
            2021: (14.3, 8.0),
            2025: (14.0, 8.5),
        },
        0.30,
        0.20,
        0.03,
        # "Hvordan har du det?" (Den Nationale Sundhedsprofil) was run in 2010, 2013,
        # 2017 and 2021 (https://www.sdu.dk/da/sif/rapporter/2022/den_nationale_sundhedsprofil);
        # 2025 assumes the four-year cadence went on. No value between surveys.
        measured_years=SUNDHEDSPROFIL_YEARS,
    ),
    # Feel safe in own neighbourhood (polarity +1), survey. 85/87/88 % in 2022/23/24.
    # Before 2022 only "unsafe" is published: safe = 94 - unsafe (2022: 85 safe + 9 unsafe).
    CriterionSpec(
        "tryghed",
        "survey",
        {
            2008: (83.0, -10.0),
            2009: (83.0, -10.0),
            2014: (86.9, -9.5),
            2015: (87.4, -9.5),
            2016: (87.6, -9.5),
            2017: (85.0, -11.0),
            2018: (82.0, -13.0),
            2019: (85.0, -9.0),
            2021: (85.0, -8.0),
            2022: (85.0, -7.0),
            2023: (87.0, -6.5),
            2024: (88.0, -6.0),
            2025: (88.0, -6.0),
        },
        -0.30,
        0.20,
        0.03,
    ),
    # Convicted, 18+. National ~0.73 % (2022 list: 2 x national = 1.45 %); KK assumed a
    # little above and falling. Udsatte about twice the rest, gap narrowing.
    CriterionSpec(
        "doemte",
        "pop_18_plus",
        {2008: (1.00, 1.0), 2015: (0.90, 0.9), 2020: (0.80, 0.75), 2025: (0.75, 0.6)},
        0.40,
        0.25,
        0.05,
    ),
)

CRITERIA: tuple[str, ...] = tuple(s.code for s in SPECS)
SURVEY_CRITERIA = frozenset(s.code for s in SPECS if s.denominator == "survey")


# --- helpers ---------------------------------------------------------------------------
#: The age band each denominator key stands for.
_BAND_OF_DENOMINATOR: dict[str, tuple[int, int | None]] = {
    "pop_18_plus": (18, None),
    "pop_16_64": (16, 64),
    "pop_18_64": (18, 64),
    "pop_0_17": (0, 17),
    "pop_16_plus": (16, None),
    "pop_25": (25, 25),
}


def check_age_bands() -> None:
    """The registry's configured bands against the denominators drawn here (and, for the
    criteria that continue it, the real series' fixed bands)."""
    _check_real_bands()
    registry = load_registry()
    for spec in SPECS:
        ind = registry.get(spec.code)
        drawn = _BAND_OF_DENOMINATOR.get(spec.denominator)
        if ind is None or ind.age_range is None or drawn is None or ind.age_range == drawn:
            continue
        raise AgeBandError(
            f"{spec.code}: the registry asks for ages {age_band_label(*ind.age_range)}, but "
            f"the demo generator draws it for {age_band_label(*drawn)} ({spec.denominator})"
        )


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), *stream]))


def city_population(year: int) -> float:
    """City population (1 January) for any year, per :data:`CITY_POPULATION`."""
    ys = sorted(CITY_POPULATION)
    if year in CITY_POPULATION:
        return float(CITY_POPULATION[year])
    if year < ys[0]:
        return float(CITY_POPULATION[ys[0]])
    if year > ys[-1]:
        growth = (CITY_POPULATION[ys[-1]] / CITY_POPULATION[2021]) ** (1 / (ys[-1] - 2021))
        return CITY_POPULATION[ys[-1]] * growth ** (year - ys[-1])
    lo = max(y for y in ys if y < year)
    hi = min(y for y in ys if y > year)
    w = (year - lo) / (hi - lo)
    return float(CITY_POPULATION[lo] ** (1 - w) * CITY_POPULATION[hi] ** w)


def _path(knots: dict[int, float], span: np.ndarray) -> np.ndarray:
    ys = np.array(sorted(knots), dtype=float)
    vs = np.array([knots[int(y)] for y in ys], dtype=float)
    return np.interp(span.astype(float), ys, vs)


def _matrix(real: pd.DataFrame, indicator: str, codes: list[str], span: np.ndarray, col: str):
    """(rode x year) matrix of one column of ``real`` for one indicator, NaN where absent."""
    out = np.full((len(codes), len(span)), np.nan)
    sub = real[real["indicator"] == indicator]
    r_idx = pd.Index(codes).get_indexer(sub["area_code"])
    t_idx = sub["year"].to_numpy(dtype=np.int64) - int(span[0])
    ok = (r_idx >= 0) & (t_idx >= 0) & (t_idx < len(span))
    out[r_idx[ok], t_idx[ok]] = sub[col].to_numpy(dtype=float)[ok]
    return out


def _fill_inside_and_flat(mat: np.ndarray) -> np.ndarray:
    """Linear interpolation inside each row; flat extension before and after."""
    out = pd.DataFrame(mat).interpolate(axis=1, limit_area="inside")
    return out.ffill(axis=1).bfill(axis=1).to_numpy(dtype=float, copy=True)


def _solve_shift(base: np.ndarray, weight: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per column t, the s with sum_r w*expit(base+s) / sum_r w == target (bisection)."""
    n_t = base.shape[1]
    lo = np.full(n_t, -25.0)
    hi = np.full(n_t, 25.0)
    wsum = weight.sum(axis=0)
    ok = wsum > 0
    for _ in range(70):
        mid = (lo + hi) / 2
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (weight * _expit(base + mid)).sum(axis=0) / np.where(ok, wsum, 1.0)
        too_high = mean > target
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
    return np.where(ok, (lo + hi) / 2, 0.0)


def _allocate(total: int, weight: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split ``total`` respondents over roder in proportion to ``weight``.

    Systematic allocation with a random start (as in a proportionally stratified sample):
    each rode gets the floor or the ceiling of its expected number and the total is exact,
    so a rode expecting 0.3 respondents usually gets none.
    """
    cum = total * np.cumsum(weight) / weight.sum()
    marks = np.floor(cum + rng.random())  # floor(0 + u) = 0 before the first rode
    return np.diff(np.concatenate([[0.0], marks]))


def _is_udsat(values: pd.Series) -> np.ndarray:
    s = values.astype(object)
    return np.array([not (v is None or pd.isna(v) or str(v).strip() == "") for v in s])


@dataclass
class _Frame:
    codes: list[str]
    udsat: np.ndarray  # bool (n_r,)
    span: np.ndarray  # years (n_t,)
    pop: np.ndarray  # residents (n_r, n_t), 0 where none
    pop_real: np.ndarray  # bool: befolkning is real
    dens: dict[str, np.ndarray]  # expected integer denominators by band


def _population(roder: pd.DataFrame, real: pd.DataFrame, span: np.ndarray, seed: int) -> _Frame:
    codes = roder["code"].astype(str).tolist()
    udsat = _is_udsat(roder["udsat_code"]) if "udsat_code" in roder else np.zeros(len(codes), bool)
    n_r, n_t = len(codes), len(span)

    pop_obs = _matrix(real, "befolkning", codes, span, "numerator")
    pop_real = ~np.isnan(pop_obs) & (pop_obs > 0)
    real_years = sorted(real.loc[real["indicator"] == "befolkning", "year"].unique())
    pop = np.zeros((n_r, n_t))
    if real_years:
        first, last = int(real_years[0]), int(real_years[-1])
        inside = pd.DataFrame(np.where(pop_real, pop_obs, np.nan)).interpolate(
            axis=1, limit_area="inside"
        )
        inside = inside.to_numpy()
        in_span = (span >= first) & (span <= last)
        pop[:, in_span] = np.nan_to_num(inside[:, in_span])
        before = span < first
        if before.any():
            pop[:, before] = np.nan_to_num(pop_obs[:, [int(np.argmax(span == first))]])
        after = span > last
        if after.any():
            # Growth with the city (same fixed-address ratio) plus a rode-level log random
            # walk (SD 1.5 % a year), rescaled so the roder sum exactly follows the city.
            last_col = np.nan_to_num(np.where(pop_real, pop_obs, np.nan)[:, span == last][:, 0])
            total_last = last_col.sum()
            rng = _rng(seed, 0, 0)
            steps = rng.normal(0.0, 0.015, size=(n_r, int(after.sum())))
            raw = last_col[:, None] * np.exp(np.cumsum(steps, axis=1))
            target = np.array(
                [total_last * city_population(int(y)) / city_population(last) for y in span[after]]
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                scale = np.where(raw.sum(axis=0) > 0, target / raw.sum(axis=0), 0.0)
            pop[:, after] = raw * scale
    pop = np.rint(pop)

    # Age shares from the real denominators (nearest real year), city defaults otherwise.
    def share(indicator: str, default: float) -> np.ndarray:
        den = _matrix(real, indicator, codes, span, "denominator")
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where(pop_obs > 0, den / pop_obs, np.nan)
        s = pd.DataFrame(s).ffill(axis=1).bfill(axis=1).to_numpy()
        return np.clip(np.nan_to_num(s, nan=default), 0.0, 1.0)

    s1664 = share("uddannelse", DEFAULT_SHARE_16_64)
    s18 = share("indkomst", DEFAULT_SHARE_18_PLUS)
    p18 = pop * s18
    p1664 = np.minimum(pop * s1664, pop)
    p017 = pop - p18
    p1617 = p017 * SHARE_16_17_OF_0_17
    p1864 = np.clip(p1664 - p1617, 0.0, p18)
    dens = {
        "pop_18_plus": np.rint(p18),
        "pop_16_64": np.rint(p1664),
        "pop_0_17": np.rint(p017),
        "pop_18_64": np.rint(p1864),
        "pop_16_plus": np.rint(p18 + p1617),
        "pop_25": np.rint(p1864 * SHARE_25_OF_18_64),
    }
    return _Frame(codes, udsat, span, pop, pop_real, dens)


def _deprivation_index(real: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """Mean of the standardised logits of the rode's latest real education and income rates."""
    parts = []
    for ind in ("uddannelse", "indkomst"):
        sub = real[(real["indicator"] == ind) & (real["denominator"] > 0)]
        sub = sub.sort_values(["area_code", "year"]).groupby("area_code").tail(1)
        city = sub["numerator"].sum() / sub["denominator"].sum() if len(sub) else 0.5
        rate = (sub["numerator"] + SHRINK_PSEUDO_N * city) / (sub["denominator"] + SHRINK_PSEUDO_N)
        x = pd.Series(_logit(rate.to_numpy()), index=sub["area_code"]).reindex(codes)
        sd = x.std()
        parts.append(((x - x.mean()) / sd) if sd and sd > 0 else x * 0.0)
    z = pd.concat(parts, axis=1).mean(axis=1, skipna=True)
    # Clipped at +-3 SD so that a few extreme (mostly tiny or institutional) roder do not
    # get implausible rates on the synthetic criteria.
    return z.fillna(0.0).clip(-3.0, 3.0).to_numpy()


def _targets(spec: CriterionSpec, span: np.ndarray, seam: dict[int, tuple[float, float]]):
    knots = {y: v for y, v in spec.knots.items() if not seam or y > max(seam)}
    knots.update(seam)
    city = _path({y: v[0] for y, v in knots.items()}, span) / 100.0
    gap = _path({y: v[1] for y, v in knots.items()}, span) / 100.0
    return city, gap


def _group_targets(city, gap, weight, udsat):
    w_u = weight[udsat].sum(axis=0)
    w_all = weight.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_u = np.where(w_all > 0, w_u / w_all, 0.0)
    rest = np.clip(city - share_u * gap, 1e-4, 1 - 1e-4)
    uds = np.clip(rest + gap, 1e-4, 1 - 1e-4)
    return uds, rest


def _criterion(
    spec: CriterionSpec,
    idx: int,
    fr: _Frame,
    real: pd.DataFrame,
    z: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (numerator, denominator, emit-mask) matrices for one criterion."""
    n_r, n_t = fr.pop.shape
    span = fr.span
    stream = idx + 1
    rng_base = _rng(seed, stream, 1)
    rng_walk = _rng(seed, stream, 2)
    rng_draw = _rng(seed, stream, 3)
    rng_resp = _rng(seed, stream, 4)

    eps = rng_base.normal(0.0, 1.0, size=n_r)
    steps = rng_walk.normal(0.0, spec.drift, size=(n_r, n_t))

    # Survey respondents are allocated in proportion to residents 16+ (see docs).
    band = "pop_16_plus" if spec.denominator == "survey" else spec.denominator
    weight = np.where(fr.pop > 0, fr.dens[band], 0.0)

    num_real = _matrix(real, spec.code, fr.codes, span, "numerator")
    den_real = _matrix(real, spec.code, fr.codes, span, "denominator")
    has_real = ~np.isnan(num_real) & (np.nan_to_num(den_real) > 0)
    real_years = span[has_real.any(axis=0)]

    seam: dict[int, tuple[float, float]] = {}
    start = 0  # first column the shift is solved for
    if spec.continues_real and len(real_years):
        last = int(real_years.max())
        col = int(np.argmax(span == last))
        start = col + 1
        # Group means per year (for shrinkage) and the level and gap measured at the seam.
        n0, d0 = np.nan_to_num(num_real), np.nan_to_num(den_real)
        means = {}
        for g in (True, False):
            m = fr.udsat == g
            with np.errstate(invalid="ignore", divide="ignore"):
                means[g] = n0[m].sum(axis=0) / d0[m].sum(axis=0)
        city_seam = n0[:, col].sum() / d0[:, col].sum()
        gap_seam = 0.0
        if fr.udsat.any() and (~fr.udsat).any():
            gap_seam = float(means[True][col] - means[False][col])
        seam = {last: (100.0 * city_seam, 100.0 * gap_seam)}
        gmean = np.where(fr.udsat[:, None], means[True][None, :], means[False][None, :])
        gmean = np.where(np.isnan(gmean), city_seam, gmean)
        shrunk = (num_real + SHRINK_PSEUDO_N * gmean) / (den_real + SHRINK_PSEUDO_N)
        logit_real = np.where(has_real, _logit(np.where(has_real, shrunk, 0.5)), np.nan)
        base = _fill_inside_and_flat(logit_real)
        # Roder without any real value: their group's seam level plus a random effect.
        none = ~has_real.any(axis=1)
        fallback = np.where(fr.udsat, means[True][col], means[False][col])
        fallback = np.where(np.isnan(fallback), city_seam, fallback)
        base[none] = (_logit(fallback) + spec.spread * eps)[none][:, None]
        walk = np.cumsum(np.where(np.arange(n_t)[None, :] >= start, steps, 0.0), axis=1)
    else:
        base = np.repeat((spec.loading * z + spec.spread * eps)[:, None], n_t, axis=1)
        walk = np.cumsum(np.where(np.arange(n_t)[None, :] > 0, steps, 0.0), axis=1)

    city, gap = _targets(spec, span, seam)
    latent = base + walk
    shift = np.zeros((n_r, n_t))
    solve = np.arange(n_t) >= start
    if solve.any():
        t_u, t_r = _group_targets(city, gap, weight, fr.udsat)
        for g, tgt in ((True, t_u), (False, t_r)):
            m = fr.udsat == g
            if not m.any():
                continue
            s = _solve_shift(latent[m][:, solve], weight[m][:, solve], tgt[solve])
            shift[np.ix_(m, solve)] = s[None, :]
    p = _expit(latent + shift)

    if spec.denominator == "survey":
        den = np.zeros((n_r, n_t))
        lo, hi = SURVEY_RESPONDENTS
        for t in range(n_t):
            w = weight[:, t]
            if w.sum() <= 0:
                continue
            total = int(rng_resp.integers(lo, hi + 1))
            den[:, t] = _allocate(total, w, rng_resp)
    else:
        den = weight.copy()
    den = np.where(fr.pop > 0, den, 0.0).astype(np.int64)
    num = rng_draw.binomial(den, p).astype(float)
    emit = (den > 0) & ~has_real
    return num, den.astype(float), emit


def _long(fr: _Frame, indicator: str, num, den, emit, years: set[int], source: str):
    keep = emit & np.isin(fr.span, sorted(years))[None, :]
    r_idx, t_idx = np.nonzero(keep)
    return pd.DataFrame(
        {
            "area_code": np.array(fr.codes, dtype=object)[r_idx],
            "indicator": indicator,
            "year": fr.span[t_idx].astype(int),
            "numerator": num[keep].astype(float),
            "denominator": den[keep].astype(float),
            "synthetic": True,
            "source": source,
        }
    )


def generate_demo_series(
    roder: pd.DataFrame,
    real: pd.DataFrame,
    years: Iterable[int] = range(2008, 2026),
    seed: int = 20251,
) -> pd.DataFrame:
    """SYNTHETIC demo observations (``synthetic=True``) for every rode with residents.

    ``roder`` has ``code, name, udsat_code`` (``udsat_code`` None/NaN when the rode is not
    in an udsat byområde); ``real`` is :func:`indicators.importers.real_series.load_socio_roder`
    output. Produces the eight criteria for every year in ``years`` where ``real`` has no
    value, and ``befolkning`` where ``real`` has none (after the last real year, and in
    gaps inside the real period). Deterministic for the same inputs and seed, whatever
    the row order of the inputs. Raises :class:`AgeBandError` when the registry's age
    band of a criterion is not the one its denominators are drawn for.
    """
    check_age_bands()
    years = {int(y) for y in years}
    if not years:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _DTYPES.items()})[COLUMNS]
    roder = (
        roder.assign(code=roder["code"].astype(str))
        .drop_duplicates("code")
        .sort_values("code", kind="stable")
        .reset_index(drop=True)
    )
    real = real[real["area_code"].astype(str).isin(set(roder["code"]))]
    real = real.assign(area_code=real["area_code"].astype(str), year=real["year"].astype(int))
    real = real.sort_values(["indicator", "area_code", "year"], kind="stable").reset_index(
        drop=True
    )

    all_years = years | set(real["year"].unique().tolist())
    span = np.arange(min(all_years), max(all_years) + 1)
    fr = _population(roder, real, span, seed)
    z = _deprivation_index(real, fr.codes)
    source = SOURCE.format(seed=seed)

    parts = []
    pop_emit = (fr.pop > 0) & ~fr.pop_real
    parts.append(_long(fr, "befolkning", fr.pop, np.ones_like(fr.pop), pop_emit, years, source))
    for idx, spec in enumerate(SPECS):
        num, den, emit = _criterion(spec, idx, fr, real, z, seed)
        emitted = years if spec.measured_years is None else years & spec.measured_years
        parts.append(_long(fr, spec.code, num, den, emit, emitted, source))
    out = pd.concat(parts, ignore_index=True).astype(_DTYPES)
    out = out.sort_values(["indicator", "area_code", "year"], kind="stable")
    return out[COLUMNS].reset_index(drop=True)


_DTYPES = {
    "area_code": str,
    "indicator": str,
    "year": int,
    "numerator": float,
    "denominator": float,
    "synthetic": bool,
    "source": str,
}
