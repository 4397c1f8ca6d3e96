"""The names of the research chart builders, and the module that holds each.

Kept apart from the builders so that pages which only name a chart (session and keynote
files are checked against this list) need not import plotly.
"""

#: Each builder and the module that defines it (in :mod:`rdlearn.figures`, or a feature's own
#: ``figures`` module, named in full), in workshop order.
CHART_BUILDER_MODULES = {
    "prevalence_leung": "prevalence",
    "prevalence_small_studies": "prevalence",
    "leung_ratings": "prevalence",
    "connection_minute_by_minute": "rdlearn.connection.figures",
    "experience_domains": "experience",
    "outcomes": "effects",
    "common_factors": "effects",
    "facilitating_inhibiting": "experience",
    "relatedness_mortality": "effects",
}

CHART_BUILDERS = tuple(CHART_BUILDER_MODULES)
