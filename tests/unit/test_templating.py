"""The macros the tables call per row: exact output, escaping, order."""

from __future__ import annotations

from markupsafe import Markup

from capmatch.web.templating import templates


def score_breakdown(components):
    return str(templates.env.get_template("_macros/scores.html").module.breakdown(components))


def badge(value, kind=""):
    return str(templates.env.get_template("_macros/ui.html").module.badge(value, kind))


def test_a_breakdown_lists_its_components_largest_first_under_a_summary_of_three():
    html = str(score_breakdown({"<new>": 0.25, "skills": 0.9, "language": 0.5, "speed": 0.7}))
    assert html == (
        '<details class="breakdown-details">\n  <summary>Skill coverage 90%, Speed to deploy 70%, Language 50% …</summary>\n'
        '  <ul class="bars">'
        '<li><span>Skill coverage</span><meter min="0" max="1" value="0.9">90%</meter><span class="pct">90%</span></li>'
        '<li><span>Speed to deploy</span><meter min="0" max="1" value="0.7">70%</meter><span class="pct">70%</span></li>'
        '<li><span>Language</span><meter min="0" max="1" value="0.5">50%</meter><span class="pct">50%</span></li>'
        '<li><span>&lt;new&gt;</span><meter min="0" max="1" value="0.25">25%</meter><span class="pct">25%</span></li>'
        '</ul>\n</details>'
    )


def test_equal_components_keep_their_stored_order_and_a_short_breakdown_has_no_ellipsis():
    html = str(score_breakdown({"language": 1.0, "skills": 1.0}))
    assert "<summary>Language 100%, Skill coverage 100%</summary>" in html
    assert html.index("Language</span>") < html.index("Skill coverage</span>")


def test_an_empty_breakdown_is_a_dash():
    assert score_breakdown({}) == "—" and score_breakdown(None) == "—"


def test_a_badge_escapes_text_but_not_markup():
    for _ in range(2):
        assert badge("a&b") == '<span class="badge badge-a&amp;b">a&amp;b</span>'
        assert badge(Markup("a&amp;b")) == '<span class="badge badge-a&amp;b">a&amp;b</span>'
        assert badge("partially_filled") == '<span class="badge badge-partially_filled">partially filled</span>'
        assert badge("requests", "role") == '<span class="badge badge-role">requests</span>'
