"""What people describe: the domains of the experience and what helps or hinders it.

Both charts are tables of wording kept as constants here (to move to data in its own issue).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from rdlearn.figures.theme import _GRID, OKABE_ITO, _number, finish

__all__ = [
    "EXPERIENCE_DOMAINS",
    "ROLE_DIFFERENCES",
    "FACILITATING_INHIBITING",
    "experience_domains",
    "facilitating_inhibiting",
]


#: The four domains of the experience, described in our own words (after Cooper's review).
EXPERIENCE_DOMAINS: tuple[tuple[str, str], ...] = (
    ("Within oneself",
     "Feeling alive, energised and clear-sighted; free, spontaneous and wholly oneself; "
     "bodily sensations such as tingling; strong feeling, and yet calm, stillness and safety; "
     "absorbed in the moment; a sense of wellbeing and of one's own worth."),
    ("The other person",
     "Comes across as genuine, human and fully present, as if speaking from their core."),
    ("The relationship",
     "Close, often wordless connection; trust, at times love; equality and partnership; a "
     "two-way flow in which each knows the other knows; now and then boundaries seem to blur."),
    ("The moment itself",
     "Rare, surprising and hard to put into words; significant; like being on another level, "
     "sometimes spiritual; time seeming to stop or stretch."),
)

#: How therapists' and clients' accounts differ (after Cooper's review), in our own words.
ROLE_DIFFERENCES: tuple[tuple[str, str], ...] = (
    ("Therapists more often describe",
     "Respect and empathy for the client, sharpened focus, deeper acceptance, a sense of "
     "privilege; they see the client as vulnerable and opening up."),
    ("Clients more often describe",
     "Being known, understood, cared for and accepted; feeling vulnerable or scared; going "
     "deep into themselves; a therapist who is warm, dependable and gives more than expected."),
)


def _text_table(header: Sequence[str], rows: Sequence[tuple[str, str]], *, domain_y,
                fill: str) -> go.Table:
    return go.Table(
        domain={"x": [0, 1], "y": domain_y},
        columnwidth=[1, 3],
        header={"values": [f"<b>{h}</b>" for h in header], "fill_color": fill,
                "font": {"color": "white", "size": 17}, "align": "left", "height": 34,
                "line_color": "white"},
        cells={"values": [[r[0] for r in rows], [r[1] for r in rows]],
               "fill_color": "white", "line_color": _GRID, "align": "left",
               "font": {"size": 15, "color": OKABE_ITO["black"]}, "height": 30},
    )


def experience_domains(
    *,
    domains: Sequence[tuple[str, str]] = EXPERIENCE_DOMAINS,
    role_differences: Sequence[tuple[str, str]] = ROLE_DIFFERENCES,
) -> go.Figure:
    """The four domains of the experience of relational depth, and where roles differ."""
    from rdlearn.content import findings

    fig = go.Figure()
    fig.add_trace(_text_table(("Domain", "What people describe"), domains,
                              domain_y=[0.4, 1], fill=OKABE_ITO["blue"]))
    fig.add_trace(_text_table(("Role", "What stands out"), role_differences,
                              domain_y=[0, 0.33], fill=OKABE_ITO["vermillion"]))
    connelly = findings.finding("connelly2009-domains")
    summary = (
        "Across interview and survey studies of therapists and clients, accounts of relational "
        "depth fall into four domains, which overlap so much that the experience looks close to "
        f"a single whole. Other schemes, such as Connelly's {_number(connelly['value'])} domains "
        "(physical, emotional, spiritual, silence), fit inside this structure. Therapists and "
        "clients describe it from their own side of the relationship."
    )
    table = [{"part": f"Domain: {d}", "what people describe": text} for d, text in domains]
    table += [{"part": who, "what people describe": text} for who, text in role_differences]
    ids = ["connelly2009-domains", "knox2008-n"]
    return finish(
        fig, title="People describe relational depth in four overlapping areas of experience",
        citation=findings.cite("cooper2013review") + ", synthesising Cooper (2005), Knox (2008), "
        "Wiggins, Elliott & Cooper (2012) and unpublished dissertations",
        summary=summary,
        source_ids=["cooper2013review", "cooper2005", "knox2008", "wiggins2012", "macleod2009",
                    "morris2009", "connelly2009"],
        finding_ids=ids, table=table, height=470, axis_space=10,
    )


#: Facilitating and inhibiting factors (after Cooper's review of Knox's and Connelly's
#: interviews), in our own words.
FACILITATING_INHIBITING: tuple[tuple[str, str], ...] = (
    ("Helps: who the therapist is",
     "Warm, empathic and courteous; steady and at ease in themselves; willing to meet at depth; "
     "in some way like the client; the right sort of person, for some the parent they lacked."),
    ("Helps: what the therapist does",
     "Makes the room welcoming and safe; is patient, reliable and professional; accepts and "
     "understands; is real and human rather than hiding in a role; gives genuine commitment and "
     "care beyond the professional minimum; is on the client's side and holds hope."),
    ("Helps: what the client brings",
     "Readiness and a wish to go deeper; a deliberate choice to risk opening up; often just "
     "after a challenge from the therapist or a shift in the relationship."),
    ("Hinders: in the therapist (as clients saw it)",
     "Cold or distant; uncaring; not understanding or not inviting the client in; too "
     "different, or a style that does not fit; seeming inexperienced or unprofessional; "
     "manipulating or misusing power."),
    ("Hinders: within trainee therapists",
     "Fear and anxiety; their own defences; the risk of being shamed."),
)


def facilitating_inhibiting(
    *, factors: Sequence[tuple[str, str]] = FACILITATING_INHIBITING,
) -> go.Figure:
    """What helps and what gets in the way of meeting at depth (therapist, client, inhibitors)."""
    from rdlearn.content import findings

    fig = go.Figure(_text_table(("Factor", "What the research describes"), factors,
                                domain_y=[0, 1], fill=OKABE_ITO["bluish_green"]))
    knox = findings.finding("knox2008-n")
    summary = (
        f"Clients interviewed about moments of depth ({knox['n']} in Knox's studies) described "
        "what helped in who their therapist was and what their therapist did, but stressed "
        "their own readiness and choice to open up: therapists can invite depth, not make it "
        "happen. Relationships without depth were described as the near opposite. Trainee "
        "therapists named their own fear, defences and fear of shame as barriers."
    )
    ids = ["knox2008-n", "knoxcooper2010-n", "connelly2009-domains"]
    return finish(
        fig, title="Therapists can invite depth but not force it; clients' readiness matters",
        citation=findings.cite("cooper2013review") + ", reviewing Knox (2008), Knox & Cooper "
        "(2010, 2011) and Connelly (2009)",
        summary=summary,
        source_ids=["cooper2013review", "knox2008", "knoxcooper2010", "connelly2009"],
        finding_ids=ids,
        table=[{"factor": f, "what the research describes": text} for f, text in factors],
        height=500, axis_space=10,
    )
