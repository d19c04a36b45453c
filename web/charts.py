"""The pictures, drawn by pygal as SVG.

pygal, not matplotlib: it writes SVG natively and quickly (a child's timeline in a few
milliseconds, where matplotlib takes tens), in pure Python with no native build, and each point
can carry a link and a title (the tooltip text a screen reader also reads), which is how a
figure links to the children behind it. Its tooltip script is switched off (``js=[]``): nothing
is fetched from the internet, and the titles still show on hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pygal
from pygal.style import Style

# The GOV.UK palette (govuk-frontend's colours), so the charts read with the pages.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#912b88", "#505a5f", "#b58840")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=COLOURS,
    font_family='"GDS Transport", arial, sans-serif',
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
    tooltip_font_size=14,
)


# The timeline's stage bands are lines this thick (pygal sets a line's width in its style).
BAND_STYLE = Style(**{**STYLE.to_dict(), "stroke_width": 26, "stroke_width_hover": 26, "opacity": 0.9})


def _config(**extra: Any) -> dict[str, Any]:
    return {
        "style": STYLE,
        "truncate_label": -1,
        "js": [],  # no script from the internet; titles still give the tooltips
        "disable_xml_declaration": True,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "truncate_legend": -1,
        "print_values": False,
        **extra,
    }


def render(chart: Any) -> str:
    return str(chart.render(is_unicode=True))


# Where each row of the timeline sits on the y axis.
STAGE_Y, DECISION_Y, RECORDED_Y = 3, 2, 1


def timeline(
    bands: Sequence[tuple[str, date, date]],
    decisions: Sequence[dict[str, Any]],
    later: Sequence[dict[str, Any]],
    title: str,
) -> str:
    """A child's journey on the effective-date axis: stage bands (``(stage, from, to)``), each
    decision a mark (dicts of ``on``, ``label``, ``href``, ``superseded``), and the entries
    recorded later than others they precede — corrections, retractions, back-dated keying —
    each a mark on its effective date saying when it was recorded."""
    chart = pygal.DateLine(
        **_config(
            title=title,
            style=BAND_STYLE,
            height=320,
            width=960,
            range=(0.5, 3.5),
            show_y_guides=False,
            x_label_rotation=0,
            x_value_formatter=lambda d: d.strftime("%b %Y"),
            dots_size=7,
            stroke=True,
            show_legend=True,
        )
    )
    chart.y_labels = [
        {"label": "stage", "value": STAGE_Y},
        {"label": "decisions", "value": DECISION_Y},
        {"label": "recorded later", "value": RECORDED_Y},
    ]
    for stage, start, end in bands:
        chart.add(
            stage,
            [
                {"value": (start, STAGE_Y), "label": f"{stage} from {start.isoformat()}"},
                {"value": (end, STAGE_Y), "label": f"{stage} to {end.isoformat()}"},
            ],
            stroke_style={"linecap": "butt"},
            show_dots=False,
        )
    in_force = [d for d in decisions if not d["superseded"]]
    gone = [d for d in decisions if d["superseded"]]
    for name, marks, y in (
        ("decision", in_force, DECISION_Y),
        ("superseded", gone, DECISION_Y),
        ("recorded later", later, RECORDED_Y),
    ):
        if marks:
            chart.add(
                name,
                [
                    {"value": (m["on"], y), "label": m["label"], "xlink": {"href": m["href"], "target": "_top"}}
                    for m in marks
                ],
                stroke=False,
            )
    return render(chart)


def km_curves(curves: Sequence[tuple[str, Sequence[Sequence[float]]]], title: str) -> str:
    """Kaplan–Meier curves, one per cohort: the share still waiting for a match by days since
    the placement order (a step line: the estimate is constant between matches)."""
    chart = pygal.XY(
        **_config(
            title=title,
            height=420,
            width=960,
            range=(0, 1),
            x_title="days since the placement order",
            y_title="share not yet matched",
            value_formatter=lambda v: f"{v:.0%}",
            show_dots=False,
            stroke_style={"width": 2.5},
        )
    )
    for label, points in curves:
        steps: list[tuple[float, float]] = []
        for t, s in points:
            if steps:
                steps.append((t, steps[-1][1]))
            steps.append((t, s))
        chart.add(label, steps)
    return render(chart)


def bars(
    items: Sequence[tuple[str, float | None, str | None]],
    title: str,
    unit: str,
    *,
    horizontal: bool = True,
) -> str:
    """One bar per item (``(label, value, href)``), each linking to the children it counts."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        **_config(
            title=title,
            height=max(260, 60 + 44 * len(items)),
            width=960,
            show_legend=False,
            print_values=True,
            value_formatter=lambda v: f"{v:,.0f}",
            y_title=unit,
        )
    )
    # A horizontal bar chart draws its first item at the bottom: reversed, the list reads top down.
    items = list(reversed(items)) if horizontal else list(items)
    chart.x_labels = [label for label, _, _ in items]
    chart.add(
        unit,
        [
            {"value": value, "label": label, **({"xlink": {"href": href, "target": "_top"}} if href else {})}
            for label, value, href in items
        ],
    )
    return render(chart)
