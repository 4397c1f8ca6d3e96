"""The names of the research chart builders in :mod:`rdlearn.figures.charts`.

Kept apart from that module so that pages which only name a chart (session and keynote
files are checked against this list) need not import plotly.
"""

CHART_BUILDERS = (
    "prevalence_leung",
    "prevalence_small_studies",
    "leung_ratings",
    "connection_minute_by_minute",
    "experience_domains",
    "outcomes",
    "common_factors",
    "facilitating_inhibiting",
    "relatedness_mortality",
)
