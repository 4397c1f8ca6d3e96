"""Every chart name in one module, for callers written before the split (``figures.charts``).

New code imports :mod:`rdlearn.figures` and uses ``figures.<name>``; this alias goes once
``room`` and ``connection`` do so too.
"""

from rdlearn.figures.effects import common_factors, outcomes, relatedness_mortality
from rdlearn.figures.experience import (
    EXPERIENCE_DOMAINS,
    FACILITATING_INHIBITING,
    ROLE_DIFFERENCES,
    experience_domains,
    facilitating_inhibiting,
)
from rdlearn.figures.names import CHART_BUILDERS
from rdlearn.figures.prevalence import leung_ratings, prevalence_leung, prevalence_small_studies
from rdlearn.figures.synchrony import connection_minute_by_minute
from rdlearn.figures.theme import (
    OKABE_ITO,
    PALETTE,
    Presentation,
    data_table,
    describe,
    finish,
    present,
    read_chart,
    table_html,
)

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "Presentation",
    "data_table",
    "describe",
    "finish",
    "present",
    "read_chart",
    "table_html",
    "CHART_BUILDERS",
    "EXPERIENCE_DOMAINS",
    "FACILITATING_INHIBITING",
    "ROLE_DIFFERENCES",
    "prevalence_leung",
    "prevalence_small_studies",
    "leung_ratings",
    "connection_minute_by_minute",
    "experience_domains",
    "outcomes",
    "common_factors",
    "facilitating_inhibiting",
    "relatedness_mortality",
]
